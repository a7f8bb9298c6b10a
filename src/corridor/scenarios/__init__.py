"""Scenario files shipped with corridor, loaded by name with `load_bundled`.

`east-aleppo-2016.yaml` is built from public reports of the December 2016
evacuation of eastern Aleppo and the linked Foua/Kefraya evacuation; every
figure names its source. `tiny.yaml` is synthetic, for fast tests.
"""
