"""``python -m microsoft_agents.hosting.aiohttp.dev``: the same as the ``agents-dev`` command."""

import sys

from ._cli import main

sys.exit(main())
