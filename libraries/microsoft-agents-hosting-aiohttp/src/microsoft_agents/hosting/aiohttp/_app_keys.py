"""No ``NotAppKeyWarning`` for the application keys of the documented host setup.

An agent's aiohttp application carries its host objects under three string keys, as the
documentation and samples write them::

    app["agent_configuration"] = auth_config   # read by jwt_authorization_middleware
    app["agent_app"] = agent_app
    app["adapter"] = adapter

aiohttp warns (``web.NotAppKeyWarning``) about every string key stored on an application,
which would flag this documented usage as a mistake. How it is kept quiet, and why this way:

* A ``warnings.filterwarnings`` rule cannot single these keys out: aiohttp's warning text does
  not name the key, and it is attributed to the caller's module, so the narrowest filter that
  would work hides the advice for *every* string key of every application.
* ``web.AppKey`` constants would not help: the documented code stores the string keys itself,
  and the warning is raised when it does.

So when this package is imported, ``web.Application.__setitem__`` is wrapped once: for exactly
the three string keys above, aiohttp's warning is dropped; for any other key every warning is
passed on unchanged (same message and category, through the caller's warning filters) and
attributed to the line that stored the key, as aiohttp itself attributes it. Storing behaves
as before in every other respect. The wrapper briefly records warnings with
``warnings.catch_warnings``, which is process-wide: applications are normally configured at
start-up, before other threads are busy.
"""

from __future__ import annotations

import warnings
from typing import Any

from aiohttp import web

__all__ = ["PUBLISHED_APP_KEYS", "keep_published_app_keys_quiet"]

PUBLISHED_APP_KEYS = frozenset({"agent_configuration", "agent_app", "adapter"})
"""The string application keys of the documented usage, stored without a warning."""


def keep_published_app_keys_quiet() -> None:
    """Wrap ``web.Application.__setitem__`` as the module docs describe (once per process)."""
    store = web.Application.__setitem__
    if getattr(store, "quiet_keys", None) is not None:
        return  # already wrapped

    def __setitem__(app: web.Application, key: Any, value: Any) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            store(app, key, value)
        published = type(key) is str and key in PUBLISHED_APP_KEYS
        for warning in caught:
            if not (published and issubclass(warning.category, web.NotAppKeyWarning)):
                warnings.warn(warning.message, stacklevel=2)

    __setitem__.quiet_keys = PUBLISHED_APP_KEYS  # type: ignore[attr-defined]
    __setitem__.__qualname__ = store.__qualname__
    __setitem__.__doc__ = store.__doc__
    web.Application.__setitem__ = __setitem__  # type: ignore[method-assign]
