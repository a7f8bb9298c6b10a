"""Scenario files shipped with corridor, loaded by name with `load_bundled`.

`east-aleppo-2016.yaml` is built from public reports of the December 2016
evacuation of eastern Aleppo and the linked Foua/Kefraya evacuation; every
figure names its source; `east-aleppo-2016.disruption.yaml` is its disruption
model (`corridor simulate --disruption bundled`). `four-towns-2017.yaml` is the
first phase of the Four Towns agreement of April 2017 (Foua/Kefraya and
Madaya/Zabadani), from press reports. `tiny.yaml` is synthetic, for fast tests.
"""
