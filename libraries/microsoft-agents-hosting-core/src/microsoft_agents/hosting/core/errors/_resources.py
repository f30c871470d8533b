"""The catalogue of hosting-core error messages (codes -63000 to -63999, -66000 and up)."""

from __future__ import annotations

from microsoft_agents.activity.errors import ErrorMessage

__all__ = ["ErrorResources", "error_resources"]


class ErrorResources:
    """Error messages of the hosting core, each with a stable negative error code."""

    AdapterRequired = ErrorMessage("An adapter is required.", -63000)
    AgentApplicationRequired = ErrorMessage("An AgentApplication is required.", -63001)
    RequestRequired = ErrorMessage("A request is required.", -63002)
    AgentRequired = ErrorMessage("An agent is required.", -63003)
    StreamAlreadyEnded = ErrorMessage("The stream has already ended.", -63004)
    TurnContextRequired = ErrorMessage("A TurnContext is required.", -63005)
    ActivityRequired = ErrorMessage("An activity is required.", -63006)
    AppIdRequired = ErrorMessage("An app id is required; got an empty one or None.", -63007)
    InvalidActivityType = ErrorMessage("The activity type is missing or not valid.", -63008)
    ConversationIdRequired = ErrorMessage(
        "A conversation id is required; got an empty one or None.", -63009
    )
    AuthHeaderRequired = ErrorMessage("The request needs an Authorization header.", -63010)
    InvalidAuthHeader = ErrorMessage(
        "The Authorization header is malformed; expected 'Bearer <token>'.", -63011
    )
    ClaimsIdentityRequired = ErrorMessage("A ClaimsIdentity is required.", -63012)
    # {0}: the request path
    ChannelServiceRouteNotFound = ErrorMessage("No channel service route matches {0}.", -63013)
    TokenExchangeRequired = ErrorMessage(
        "A token exchange needs a token exchange resource; none was given.", -63014
    )
    MissingHttpClient = ErrorMessage("An HTTP client (session) is required.", -63015)
    InvalidBotFrameworkActivity = ErrorMessage(
        "The body is not a valid Bot Framework activity.", -63016
    )
    CredentialsRequired = ErrorMessage("Authentication needs credentials; none are set.", -63017)
    # {0}: the sign-in handler id
    UnexpectedConnectorRequestToken = ErrorMessage(
        "The connector request carries no usable security token for sign-in handler {0}.",
        -63018,
    )
    # {0}: the sign-in handler id
    UnexpectedConnectorTokenExpiration = ErrorMessage(
        "The connector token of sign-in handler {0} has expired.", -63019
    )
    # {0}: the sign-in handler id
    OboNotExchangeableToken = ErrorMessage(
        "The token of sign-in handler {0} cannot be exchanged on-behalf-of.", -63020
    )
    # Codes from -63050 on in this block belong to this project.
    ActivityTypeRequired = ErrorMessage("The activity has no type.", -63050)
    # -- streaming responses (-63100 ..) --
    StreamingResponseWithoutContext = ErrorMessage(
        "This StreamingResponse was created without a TurnContext, so it can only collect "
        "text, citations and attachments. Use context.streaming_response (or "
        "StreamingResponse(context)) to send a streamed reply.",
        -63100,
    )
    # -- storage and state (-63200 ..) --
    StorageRequired = ErrorMessage(
        "AgentApplication needs storage: pass storage=MemoryStorage() (or another Storage).",
        -63203,
    )
    StateKeyMissing = ErrorMessage(
        "Cannot compute the {0} storage key: the activity has no {1}.", -63204
    )
    EmptyStorageKey = ErrorMessage("Storage keys must be non-empty strings.", -63205)
    # {0}: the storage operation (read, write, delete)
    StorageKeysRequired = ErrorMessage("Storage {0} needs at least one key; got none.", -63200)
    # {0}: the unknown scope name, {1}: the known scope names
    UnknownStateScope = ErrorMessage(
        "There is no state scope named {0!r}; known scopes: {1}.", -63201
    )
    # {0}: the key, {1}: the type of the rejected value
    StoreItemRequired = ErrorMessage(
        "Cannot write {0!r}: a StoreItem (or an object with store_item_to_json) is required, "
        "not {1}.",
        -63202,
    )
    # -- AgentApplication (-63300 ..) --
    # {0}: the handler ids the route needs
    UserAuthorizationNotConfigured = ErrorMessage(
        "A route needs user sign-in handler(s) {0}, but this AgentApplication has no user "
        "authorization. Configure each handler with "
        "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__<ID>__SETTINGS__"
        "AZUREBOTOAUTHCONNECTIONNAME "
        "(plus TITLE, TEXT, SCOPES, TYPE as needed), give the application a connection manager "
        "(connection_manager=MsalConnectionManager(**config)) or an Authorization "
        "(authorization=Authorization(storage, connection_manager, **config)), and pass the "
        "configuration on: AgentApplication[TurnState](storage=..., **config).",
        -63300,
    )
    # {0}: the unknown handler id, {1}: the configured ids
    UnknownAuthHandler = ErrorMessage(
        "A route needs user sign-in handler {0!r}, which is not configured (configured: {1}). "
        "Add AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__{0}__SETTINGS__"
        "AZUREBOTOAUTHCONNECTIONNAME (or pass it in authorization_handlers).",
        -63301,
    )
    AuthorizationAndConnectionManager = ErrorMessage(
        "Pass either authorization= or connection_manager= to AgentApplication, not both: "
        "the Authorization already has its connection manager.",
        -63302,
    )
    LongRunningNeedsAppId = ErrorMessage(
        "long_running_messages needs bot_app_id: proactive continuations are sent on behalf "
        "of the agent's app id.",
        -63303,
    )
    ApplicationAdapterMissing = ErrorMessage(
        "This AgentApplication was created without an adapter; pass adapter=... (the adapter "
        "that runs a turn is also available as context.adapter).",
        -63304,
    )
    ProactiveNotConfigured = ErrorMessage(
        "Proactive messaging is off: create the application with "
        "ApplicationOptions(proactive=ProactiveOptions(...)) (or proactive=... as a keyword).",
        -63305,
    )
    RouteSelectorAndHandlerRequired = ErrorMessage(
        "add_route() needs both a selector and a handler.", -63306
    )
    # -- user sign-in (-63400 ..) --
    # {0}: the handler id
    OAuthConnectionNameMissing = ErrorMessage(
        "Sign-in handler {0!r} has no OAuth connection: set "
        "AGENTAPPLICATION__USERAUTHORIZATION__HANDLERS__{0}__SETTINGS__"
        "AZUREBOTOAUTHCONNECTIONNAME to the name of the OAuth connection of the Azure Bot.",
        -63400,
    )
    # {0}: the handler id, {1}: what is missing
    SignInPrerequisitesMissing = ErrorMessage(
        "Sign-in handler {0!r} cannot sign the user in; this turn lacks {1}. User sign-in "
        "needs an authenticated channel request (configure CONNECTIONS__SERVICE_CONNECTION; "
        "anonymous mode has no app id) from an identified user.",
        -63401,
    )
    # {0}: the handler id (or "the default handler")
    UserTokenUnavailable = ErrorMessage(
        "No user token of sign-in handler {0} is available in this turn: the user has not "
        "signed in. Put the code on a route with auth_handlers=[...] (or turn on auto sign-in) "
        "so the user signs in first, and use the credential only during that turn.",
        -63402,
    )
    # -- agent-to-agent (-63500 ..) --
    # {0}: the called agent's app id, {1}: its endpoint, {2}: what went wrong
    AgentUnreachable = ErrorMessage(
        "Could not reach agent {0!r} at {1} ({2}). Check that the agent is running and that "
        "its endpoint is right; the activity was not delivered.",
        -63500,
    )
    # {0}: the called agent's app id, {1}: its endpoint, {2}: the HTTP status
    AgentServerError = ErrorMessage(
        "Agent {0!r} at {1} answered HTTP {2}: it failed while handling the activity. Look "
        "at that agent's logs; error.status and error.body hold its answer.",
        -63501,
    )
    # {0}: the missing argument
    AgentChannelArgumentMissing = ErrorMessage("post_activity needs {0}; none was given.", -63502)
    # {0}: the conversation id
    AgentConversationUnknown = ErrorMessage(
        "Agent conversation {0!r} is not one this agent started, or it has ended; the "
        "activity is refused.",
        -63503,
    )
    # {0}: the conversation id, {1}: the app id of the agent that answered
    AgentConversationWrongAgent = ErrorMessage(
        "Agent conversation {0!r} belongs to another agent; {1!r} may not answer in it.",
        -63504,
    )
    # -- general (-66000 ..) --
    # {0}: what is wrong
    InvalidConfiguration = ErrorMessage("Invalid configuration: {0}", -66000)
    # {0}: the parameter name
    RequiredParameterMissing = ErrorMessage("The parameter {0} is required.", -66001)
    # {0}: the parameter name, {1}: what is wrong with the value
    InvalidParameterValue = ErrorMessage("The value of {0} is not valid: {1}", -66002)
    # {0}: the operation
    OperationNotSupported = ErrorMessage("{0} is not supported.", -66003)
    # {0}: the resource
    ResourceNotFound = ErrorMessage("Not found: {0}", -66004)
    # {0}: the error
    UnexpectedError = ErrorMessage("Something unexpected went wrong: {0}", -66005)
    # {0}: what is wrong with the state object
    InvalidStateObject = ErrorMessage("The state object is not valid: {0}", -66006)
    # {0}: what could not be serialised
    SerializationError = ErrorMessage("Could not serialise {0}.", -66007)
    # {0}: what could not be deserialised
    DeserializationError = ErrorMessage("Could not deserialise {0}.", -66008)
    # {0}: the operation that ran out of time
    TimeoutError = ErrorMessage("{0} did not finish in time.", -66009)
    # {0}: the network failure
    NetworkError = ErrorMessage("A network request failed: {0}", -66010)


error_resources = ErrorResources()
