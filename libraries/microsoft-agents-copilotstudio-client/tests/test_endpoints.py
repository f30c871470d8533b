"""Endpoint construction, token audiences and connection settings."""

from __future__ import annotations

import pytest

from microsoft_agents.copilotstudio.client import (
    AgentType,
    ConnectionSettings,
    CopilotClient,
    CopilotClientError,
    CopilotClientValueError,
    PowerPlatformCloud,
    PowerPlatformEnvironment,
)
from microsoft_agents.copilotstudio.client.errors import copilot_studio_errors

ENV_ID = "a1b2c3d4-0000-1111-2222-333344445555"
AGENT = "cr123_myAgent"
QUERY = "?api-version=2022-03-01-preview"
url_of = PowerPlatformEnvironment.get_copilot_studio_connection_url

C = PowerPlatformCloud
HOSTS = {
    C.LOCAL: "api.powerplatform.localhost",
    C.EXP: "api.exp.powerplatform.com",
    C.DEV: "api.dev.powerplatform.com",
    C.PRV: "api.prv.powerplatform.com",
    C.TEST: "api.test.powerplatform.com",
    C.PREPROD: "api.preprod.powerplatform.com",
    C.PROD: "api.powerplatform.com",
    C.FIRST_RELEASE: "api.powerplatform.com",
    C.GOV: "api.gov.powerplatform.microsoft.us",
    C.GOV_FR: "api.gov.powerplatform.microsoft.us",
    C.HIGH: "api.high.powerplatform.microsoft.us",
    C.DOD: "api.appsplatform.us",
    C.MOONCAKE: "api.powerplatform.partner.microsoftonline.cn",
    C.EX: "api.powerplatform.eaglex.ic.gov",
    C.RX: "api.powerplatform.microsoft.scloud",
}


def settings(**kwargs: object) -> ConnectionSettings:
    kwargs.setdefault("environment_id", ENV_ID)
    kwargs.setdefault("agent_identifier", AGENT)
    return ConnectionSettings(**kwargs)  # type: ignore[arg-type]


# -- the worked examples of the contract --------------------------------------------------------


def test_prod_published_conversations_url() -> None:
    assert url_of(settings()) == (
        "https://a1b2c3d40000111122223333444455.55.environment.api.powerplatform.com"
        "/copilotstudio/dataverse-backed/authenticated/bots/cr123_myAgent/conversations" + QUERY
    )


def test_prod_subscribe_url_of_a_conversation() -> None:
    assert url_of(settings(), "c-1", create_subscribe_link=True) == (
        "https://a1b2c3d40000111122223333444455.55.environment.api.powerplatform.com"
        "/copilotstudio/dataverse-backed/authenticated/bots/cr123_myAgent/conversations/c-1"
        "/subscribe" + QUERY
    )


def test_gov_prebuilt_conversation_url() -> None:
    s = settings(cloud=C.GOV, copilot_agent_type=AgentType.PREBUILT)
    assert url_of(s, "c-1") == (
        "https://a1b2c3d400001111222233334444555.5.environment.api.gov.powerplatform.microsoft.us"
        "/copilotstudio/prebuilt/authenticated/bots/cr123_myAgent/conversations/c-1" + QUERY
    )


def test_prod_token_audience() -> None:
    assert PowerPlatformEnvironment.get_token_audience(settings()) == (
        "https://api.powerplatform.com/.default"
    )
    assert CopilotClient.scope_from_cloud(C.PROD) == "https://api.powerplatform.com/.default"


# -- every cloud --------------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", list(HOSTS))
def test_every_cloud_has_its_host_and_suffix_length(cloud: PowerPlatformCloud) -> None:
    host = HOSTS[cloud]
    two = cloud in (C.PROD, C.FIRST_RELEASE)
    prefix, suffix = (
        ("a1b2c3d40000111122223333444455", "55")
        if two
        else ("a1b2c3d400001111222233334444555", "5")
    )
    assert PowerPlatformEnvironment.get_id_suffix_length(cloud) == (2 if two else 1)
    assert PowerPlatformEnvironment.get_endpoint_suffix(cloud, None) == host
    expected_host = f"{prefix}.{suffix}.environment.{host}"
    assert PowerPlatformEnvironment.get_environment_endpoint(cloud, ENV_ID) == expected_host
    assert url_of(settings(cloud=cloud)) == (
        f"https://{expected_host}/copilotstudio/dataverse-backed/authenticated/bots/"
        f"cr123_myAgent/conversations{QUERY}"
    )
    assert PowerPlatformEnvironment.get_token_audience(cloud=cloud) == f"https://{host}/.default"
    assert CopilotClient.scope_from_settings(settings(cloud=cloud)) == f"https://{host}/.default"


def test_other_cloud_uses_the_custom_base_address() -> None:
    s = settings(cloud=C.OTHER, custom_power_platform_cloud="https://api.contoso.example")
    assert url_of(s, "c-1") == (
        "https://a1b2c3d400001111222233334444555.5.environment.api.contoso.example"
        "/copilotstudio/dataverse-backed/authenticated/bots/cr123_myAgent/conversations/c-1" + QUERY
    )
    assert PowerPlatformEnvironment.get_token_audience(s) == (
        "https://api.contoso.example/.default"
    )
    # the argument serves when the settings name no base address
    bare = settings(cloud=C.OTHER)
    assert url_of(bare, cloud_base_address="https://api.fabrikam.example:8443/x").startswith(
        "https://a1b2c3d400001111222233334444555.5.environment.api.fabrikam.example:8443/"
    )


@pytest.mark.parametrize("base", [None, "", "api.contoso.example", "ftp://x.example", "/rel"])
def test_other_cloud_without_a_url_is_rejected(base: str | None) -> None:
    with pytest.raises(ValueError):
        url_of(settings(cloud=C.OTHER, custom_power_platform_cloud=base))
    with pytest.raises(ValueError):
        PowerPlatformEnvironment.get_endpoint_suffix(C.OTHER, base)


def test_unknown_cloud_has_no_host_and_settings_cloud_wins_unless_unknown() -> None:
    with pytest.raises(CopilotClientValueError):
        PowerPlatformEnvironment.get_endpoint_suffix(C.UNKNOWN, None)
    with pytest.raises(ValueError):
        PowerPlatformEnvironment.get_token_audience()
    # the settings' cloud beats the argument ...
    assert ".environment.api.dev.powerplatform.com/" in url_of(settings(cloud=C.DEV), cloud=C.HIGH)
    # ... unless it is UNKNOWN, then the argument decides
    url = url_of(settings(cloud=C.UNKNOWN), cloud=C.HIGH)
    assert ".5.environment.api.high.powerplatform.microsoft.us/" in url
    with pytest.raises(ValueError):
        url_of(settings(cloud=C.UNKNOWN), cloud=C.UNKNOWN)


def test_agent_type_comes_from_the_settings() -> None:
    assert "/prebuilt/" in url_of(settings(copilot_agent_type=AgentType.PREBUILT))
    assert "/dataverse-backed/" in url_of(settings(), agent_type=AgentType.PREBUILT)


def test_create_uri_and_conversation_ids_are_path_safe() -> None:
    assert PowerPlatformEnvironment.create_uri(AGENT, "h.example", AgentType.PREBUILT, None) == (
        f"https://h.example/copilotstudio/prebuilt/authenticated/bots/{AGENT}/conversations{QUERY}"
    )
    uri = PowerPlatformEnvironment.create_uri("a", "h", AgentType.PUBLISHED, "x/y?z", True)
    assert uri.endswith("/conversations/x%2Fy%3Fz/subscribe" + QUERY)
    # subscribe needs a conversation
    assert PowerPlatformEnvironment.create_uri("a", "h", AgentType.PUBLISHED, None, True).endswith(
        "/conversations" + QUERY
    )


# -- direct connect -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direct", "conversation", "subscribe", "expected"),
    [
        (
            "https://x.example/copilotstudio/bots/b/conversations?api-version=1",
            None,
            False,
            "https://x.example/copilotstudio/bots/b/conversations" + QUERY,
        ),
        ("https://x.example/agent/", "c-1", False, "https://x.example/agent/conversations/c-1"),
        ("https://x.example/agent\\", None, False, "https://x.example/agent/conversations"),
        (
            "http://127.0.0.1:8080/a/conversations/old/subscribe",
            "c-2",
            True,
            "http://127.0.0.1:8080/a/conversations/c-2/subscribe",
        ),
        ("https://x.example", None, False, "https://x.example/conversations"),
    ],
)
def test_direct_connect_urls(
    direct: str, conversation: str | None, subscribe: bool, expected: str
) -> None:
    if not expected.endswith(QUERY):
        expected += QUERY
    s = ConnectionSettings("", "", direct_connect_url=direct)
    assert url_of(s, conversation, create_subscribe_link=subscribe) == expected
    # the argument works too, and beats the environment settings
    assert (
        url_of(settings(), conversation, create_subscribe_link=subscribe, direct_connect_url=direct)
        == expected
    )


@pytest.mark.parametrize("direct", ["relative/path", "/conversations", "mailto:x@y", "x.example"])
def test_direct_connect_url_must_be_absolute(direct: str) -> None:
    with pytest.raises(ValueError):
        url_of(settings(), direct_connect_url=direct)


def test_cloud_is_decoded_from_direct_connect_hosts() -> None:
    decode = PowerPlatformEnvironment._decode_cloud_from_uri
    for cloud, host in HOSTS.items():
        expected = {C.FIRST_RELEASE: C.PROD, C.GOV: C.GOV_FR}.get(cloud, cloud)
        assert decode(f"https://{host}/x") == expected
        assert decode(f"https://abc.55.environment.{host}/x") == expected
    assert decode("https://api.gov.powerplatform.microsoft.us") == C.GOV_FR
    assert decode("https://example.com/conversations") == C.UNKNOWN
    assert decode("https://notapi.powerplatform.com/") == C.UNKNOWN


def test_token_audience_for_direct_connect() -> None:
    audience = PowerPlatformEnvironment.get_token_audience
    gov = "https://e.5.environment.api.high.powerplatform.microsoft.us/copilotstudio/x"
    assert (
        audience(direct_connect_url=gov) == "https://api.high.powerplatform.microsoft.us/.default"
    )
    # a host of no known cloud falls back to the settings' cloud, then the argument
    local = ConnectionSettings("", "", direct_connect_url="http://127.0.0.1:9/a/conversations")
    assert audience(local) == "https://api.powerplatform.com/.default"
    assert audience(direct_connect_url="http://127.0.0.1:9/a", cloud=C.DEV) == (
        "https://api.dev.powerplatform.com/.default"
    )
    with pytest.raises(CopilotClientValueError) as raised:
        audience(direct_connect_url="http://127.0.0.1:9/a")
    assert "-65021" in str(raised.value)


# -- settings -------------------------------------------------------------------------------------


def test_settings_defaults() -> None:
    s = ConnectionSettings(environment_id=ENV_ID, agent_identifier=AGENT)
    assert (s.cloud, s.copilot_agent_type) == (C.PROD, AgentType.PUBLISHED)
    assert s.client_session_settings == {}
    assert (s.custom_power_platform_cloud, s.direct_connect_url) == (None, None)
    assert (s.use_experimental_endpoint, s.enable_diagnostics) == (False, False)
    assert "cr123_myAgent" in repr(s)


@pytest.mark.parametrize(
    ("environment_id", "agent", "code"),
    [("", AGENT, -65001), (None, AGENT, -65001), (ENV_ID, "", -65002), (ENV_ID, None, -65002)],
)
def test_settings_need_an_agent_location(
    environment_id: str | None, agent: str | None, code: int
) -> None:
    with pytest.raises(ValueError) as raised:
        ConnectionSettings(environment_id=environment_id, agent_identifier=agent)
    assert isinstance(raised.value, CopilotClientError)
    assert f"Error Code: {code}" in str(raised.value)
    # a direct-connect URL is enough on its own
    assert ConnectionSettings(
        environment_id, agent, direct_connect_url="https://x/y"
    ).agent_identifier == (agent or "")


def test_settings_accept_member_names_and_reject_unknown_ones() -> None:
    s = ConnectionSettings(ENV_ID, AGENT, cloud="GOV", copilot_agent_type="prebuilt")  # type: ignore[arg-type]
    assert (s.cloud, s.copilot_agent_type) == (C.GOV, AgentType.PREBUILT)
    with pytest.raises(ValueError):
        ConnectionSettings(ENV_ID, AGENT, cloud="Mars")  # type: ignore[arg-type]


def test_populate_from_environment_reads_variables_and_arguments_win() -> None:
    environ = {
        "ENVIRONMENT_ID": ENV_ID,
        "AGENT_IDENTIFIER": AGENT,
        "CLOUD": "GOV",
        "COPILOT_AGENT_TYPE": "PREBUILT",
        "CUSTOM_POWER_PLATFORM_CLOUD": "https://c.example",
        "DIRECT_CONNECT_URL": "https://d.example/conversations",
        "USE_EXPERIMENTAL_ENDPOINT": "TRUE",
        "ENABLE_DIAGNOSTICS": "True",
    }
    found = ConnectionSettings.populate_from_environment(environ=environ)
    assert found == {
        "environment_id": ENV_ID,
        "agent_identifier": AGENT,
        "cloud": C.GOV,
        "copilot_agent_type": AgentType.PREBUILT,
        "custom_power_platform_cloud": "https://c.example",
        "direct_connect_url": "https://d.example/conversations",
        "use_experimental_endpoint": True,
        "enable_diagnostics": True,
    }
    assert ConnectionSettings(**found).direct_connect_url == "https://d.example/conversations"
    overridden = ConnectionSettings.populate_from_environment(
        agent_identifier="other",
        cloud=C.DEV,
        use_experimental_endpoint=False,
        enable_diagnostics=False,
        environ=environ,
    )
    assert overridden["agent_identifier"] == "other"
    assert overridden["cloud"] == C.DEV
    assert overridden["use_experimental_endpoint"] is False
    assert overridden["enable_diagnostics"] is False


def test_populate_from_environment_falls_back_on_bad_or_missing_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVIRONMENT_ID", "from-os-environ")
    monkeypatch.setenv("CLOUD", "Mars")
    monkeypatch.setenv("COPILOT_AGENT_TYPE", "nonsense")
    monkeypatch.setenv("USE_EXPERIMENTAL_ENDPOINT", "yes")
    monkeypatch.delenv("AGENT_IDENTIFIER", raising=False)
    monkeypatch.delenv("DIRECT_CONNECT_URL", raising=False)
    found = ConnectionSettings.populate_from_environment()
    assert found["environment_id"] == "from-os-environ"
    assert found["agent_identifier"] == ""
    assert found["cloud"] == C.PROD
    assert found["copilot_agent_type"] == AgentType.PUBLISHED
    assert found["direct_connect_url"] is None
    assert found["use_experimental_endpoint"] is False


def test_error_catalogue_is_reachable_as_the_contract_names_it() -> None:
    assert copilot_studio_errors.CloudBaseAddressRequired.error_code == -65000
    assert copilot_studio_errors.EnvironmentIdRequired.error_code == -65001
    assert copilot_studio_errors.AgentIdentifierRequired.error_code == -65002
    assert copilot_studio_errors.CustomCloudOrBaseAddressRequired.error_code == -65003
    resources = copilot_studio_errors.CopilotStudioErrorResources
    codes = [v.error_code for k, v in vars(resources).items() if not k.startswith("_")]
    assert len(codes) == len(set(codes))
