"""Configuration read from environment variables.

``load_configuration_from_env(os.environ)`` returns the ``AGENTAPPLICATION``, ``CONNECTIONS``
and ``CONNECTIONSMAP`` sections as nested dicts/lists and applies ``LOGGING__LOGLEVEL__*``
variables to the ``logging`` module. Value helpers for consumers of that configuration live
in ``config._coercion`` (``coerce_bool``, ``coerce_int``, ``coerce_float``).
"""

from ._env_loader import load_configuration_from_env

__all__ = ["load_configuration_from_env"]
