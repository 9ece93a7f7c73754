# Fixtures shared with the apps' tests live in chumchon/conftest.py.
from chumchon.conftest import *  # noqa: F403
