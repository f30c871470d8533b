"""``OutboundHostValidator``: the allow-list of hosts an agent may answer at."""

from __future__ import annotations

import pytest
from yarl import URL

from microsoft_agents.hosting.core.outbound_host_validator import (
    OutboundHostValidator as SnapPathValidator,
)
from microsoft_agents.hosting.core.security import DEFAULT_MICROSOFT_HOSTS, OutboundHostValidator


def test_both_module_paths_name_the_same_class() -> None:
    assert SnapPathValidator is OutboundHostValidator


def test_a_disabled_validator_allows_everything() -> None:
    validator = OutboundHostValidator()
    assert validator.enabled is False
    assert validator.is_allowed("https://evil.example/")
    assert validator.is_allowed("not even a url")


@pytest.mark.parametrize(
    "url",
    [
        "https://smba.trafficmanager.net/amer/",
        "https://SMBA.TrafficManager.net/emea/",
        "https://europe.webchat.botframework.com/",
        "https://botframework.com",
        "https://contoso.sharepoint.com/sites/x",
        "http://graph.microsoft.com:443/v1.0",
        "https://teams.microsoft.us./",
        URL("https://x.blob.core.windows.net/container"),
    ],
)
def test_default_microsoft_hosts_are_allowed(url: str | URL) -> None:
    assert OutboundHostValidator(enabled=True).is_allowed(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "https://botframework.com.evil.example/",
        "https://evilbotframework.com/",
        "https://botframework.com@evil.example/",
        "ftp://smba.trafficmanager.net/",
        "/v3/conversations",
        "smba.trafficmanager.net",
        "",
        None,
        "https://[::1]/",
    ],
)
def test_other_urls_are_refused(url: str | None) -> None:
    assert not OutboundHostValidator(enabled=True).is_allowed(url)


def test_configured_hosts_are_normalised_and_added() -> None:
    validator = OutboundHostValidator(
        enabled=True,
        hosts=["*.Contoso.com", "https://agents.fabrikam.net:8443/path?q=1", " 127.0.0.1 "],
    )
    assert validator.allowed_hosts[: len(DEFAULT_MICROSOFT_HOSTS)] == DEFAULT_MICROSOFT_HOSTS
    assert validator.allowed_hosts[len(DEFAULT_MICROSOFT_HOSTS) :] == (
        "contoso.com",
        "agents.fabrikam.net",
        "127.0.0.1",
    )
    assert validator.is_allowed("https://eu.contoso.com/api")
    assert validator.is_allowed("https://agents.fabrikam.net/")
    assert validator.is_allowed("http://127.0.0.1:3978/")
    assert not validator.is_allowed("https://fabrikam.net/")


def test_default_hosts_can_be_left_out() -> None:
    validator = OutboundHostValidator(
        enabled=True, hosts=["contoso.com"], include_default_microsoft_hosts=False
    )
    assert validator.allowed_hosts == ("contoso.com",)
    assert not validator.is_allowed("https://smba.trafficmanager.net/")
    assert "contoso.com" in repr(validator)
