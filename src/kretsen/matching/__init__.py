"""Group formation: proposals of groups that fit together, built on the pure ``engine``.

The Django side (proposals, coordinator screens, the adapter from intake models to engine
dataclasses) comes later; ``engine`` has no Django in it and can be run and benchmarked alone
(``python -m benchmarks.formation`` from the repository root).
"""
