"""The production settings plus one empty page, the floor the load test measures against.

Everything else comes from kretsen.settings and the environment, as in a real deployment.
"""

from kretsen.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load.urls"
