"""Editors' tools: `invoke check` and `invoke new`."""
