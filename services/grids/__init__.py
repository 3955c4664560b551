"""Grid work (网格化管理) pages: a grid worker's grid, households due for a visit, door-to-door visits, patrols, and
the one step that hands an issue found over (handover.py). The records live in the register (residents/)."""
