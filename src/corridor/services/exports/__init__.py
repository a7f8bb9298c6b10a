"""Exports: what the humanitarian system reads (HXL tables, map features, situation report).

Each figure is computed here from the operation's record, as a role may see
it; the adapters in `corridor.adapters.exports` only write the files.
"""
