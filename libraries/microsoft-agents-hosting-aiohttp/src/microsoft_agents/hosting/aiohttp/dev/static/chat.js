// The dev chat page: posts the user's activities to the agent's /api/messages endpoint and
// shows what the agent sends to the stand-in channel service, which streams it here (SSE).
//
// Streamed replies (typing activities with a streaminfo entity, then a final message) grow in
// one bubble, merged by streamId (the first activity's id when the stream has none yet).
(function () {
  "use strict";
  const md = window.DevMarkdown;
  const cards = window.DevCards;
  const el = md.el;
  const byId = function (id) { return document.getElementById(id); };

  const ui = {
    title: byId("agent-title"),
    status: byId("status"),
    transcript: byId("transcript"),
    typing: byId("typing"),
    typingLabel: byId("typing-label"),
    suggested: byId("suggested"),
    form: byId("composer"),
    input: byId("input"),
    showAll: byId("show-all"),
    restart: byId("new-conversation"),
  };
  const OPEN_URL_TYPES = ["openUrl", "signin", "downloadFile", "showImage", "playAudio", "playVideo"];
  const activitiesOf = new WeakMap();
  let config = null;
  let conversation = null;
  let typingTimer = null;

  function newId() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function setStatus(state, text) {
    ui.status.dataset.state = state;
    ui.status.textContent = text;
  }

  function scrollDown() {
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  function timeOf(activity) {
    const date = activity && activity.timestamp ? new Date(activity.timestamp) : new Date();
    return isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function initials(name) {
    const words = String(name || "A").trim().split(/\s+/);
    return (words[0][0] + (words[1] ? words[1][0] : "")).toUpperCase();
  }

  function rawText(node) {
    const list = activitiesOf.get(node) || [];
    return JSON.stringify(list.length === 1 ? list[0] : list, null, 2);
  }

  function rawToggle(node, holder) {
    const raw = el("pre", "raw");
    raw.hidden = true;
    const toggle = el("button", "raw-toggle", "{ }");
    toggle.type = "button";
    toggle.title = "Show the activity JSON";
    toggle.addEventListener("click", function () {
      raw.hidden = !raw.hidden;
      if (!raw.hidden) raw.textContent = rawText(node);
    });
    holder.appendChild(toggle);
    return raw;
  }

  function record(node, activity) {
    const list = activitiesOf.get(node) || [];
    list.push(activity);
    activitiesOf.set(node, list);
    const raw = node.querySelector(".raw");
    if (raw && !raw.hidden) raw.textContent = rawText(node);
  }

  function part(node, name) {
    return node.querySelector(":scope > .bubble > ." + name);
  }

  function bubble(role, activity) {
    const node = el("div", "msg " + role);
    node.appendChild(el("div", "avatar", role === "user" ? "You" : initials(config.agent.name)));
    const body = node.appendChild(el("div", "bubble"));
    const meta = body.appendChild(el("div", "meta"));
    const from = activity.from && activity.from.name;
    meta.appendChild(el("span", "who", role === "user" ? config.user.name : from || config.agent.name));
    meta.appendChild(el("time", null, timeOf(activity)));
    const raw = rawToggle(node, meta);
    body.appendChild(el("div", "informative")).hidden = true;
    body.appendChild(el("div", "content"));
    body.appendChild(el("div", "attachments"));
    body.appendChild(el("div", "citations")).hidden = true;
    body.appendChild(raw);
    ui.transcript.appendChild(node);
    scrollDown();
    return node;
  }

  function notice(text, kind) {
    const node = el("div", "notice " + (kind || "info"), text);
    ui.transcript.appendChild(node);
    scrollDown();
    return node;
  }

  // A compact line for activities that are not messages (shown with "all activities").
  function activityLine(activity, alwaysShown) {
    const node = el("div", "activity-line" + (alwaysShown ? " always" : ""));
    const label = activity.type + (activity.name ? ": " + activity.name : "") +
      (activity.type === "trace" && activity.label ? " (" + activity.label + ")" : "");
    node.appendChild(el("span", "activity-type", label));
    node.appendChild(rawToggle(node, node));
    record(node, activity);
    ui.transcript.appendChild(node);
    scrollDown();
    return node;
  }

  function renderText(node, text, format) {
    const content = part(node, "content");
    content.replaceChildren();
    if (!text) return;
    if (format === "plain" || format === "xml") content.appendChild(el("div", "plain", text));
    else content.appendChild(md.render(text));
  }

  function renderCitations(node, activity) {
    const holder = part(node, "citations");
    holder.replaceChildren();
    const entity = (activity.entities || []).find(function (e) {
      return e && Array.isArray(e.citation) && e.citation.length;
    });
    holder.hidden = !entity;
    if (!entity) return;
    entity.citation.forEach(function (citation) {
      const appearance = citation.appearance || {};
      const line = holder.appendChild(el("div", "citation"));
      line.appendChild(el("span", "citation-number", "[" + citation.position + "] "));
      const href = md.safeUrl(appearance.url);
      const name = el(href ? "a" : "span", null, appearance.name || "source");
      if (href) {
        name.href = href;
        name.target = "_blank";
        name.rel = "noopener noreferrer";
      }
      line.appendChild(name);
      if (appearance.abstract) line.title = appearance.abstract;
    });
  }

  function renderMessage(node, activity) {
    renderText(node, activity.text, activity.textFormat);
    const holder = part(node, "attachments");
    holder.replaceChildren();
    holder.className = "attachments" + (activity.attachmentLayout === "carousel" ? " carousel" : "");
    (activity.attachments || []).forEach(function (attachment) {
      holder.appendChild(cards.renderAttachment(attachment, cardContext));
    });
    renderCitations(node, activity);
    scrollDown();
  }

  // ------------------------------------------------------------------------------ sending

  function baseActivity(type) {
    const now = new Date();
    return {
      type: type,
      id: newId(),
      timestamp: now.toISOString(),
      localTimestamp: now.toISOString(),
      localTimezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      channelId: config.channelId,
      serviceUrl: config.serviceUrl,
      from: { id: config.user.id, name: config.user.name, role: "user" },
      recipient: { id: config.agent.id, name: config.agent.name, role: "bot" },
      conversation: { id: conversation.id },
      locale: navigator.language || "en-US",
    };
  }

  async function post(activity) {
    try {
      const response = await fetch(config.messagesUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (error) { body = null; }
      if (!response.ok) {
        const reason = (body && body.error) || text || response.statusText;
        notice("The agent answered " + response.status + ": " + reason, "error");
      }
      return { ok: response.ok, status: response.status, body: body };
    } catch (error) {
      notice("Could not reach the agent (" + error.message + "). Is agents-dev still running?", "error");
      return { ok: false, status: 0, body: null };
    }
  }

  function sendMessage(fields, options) {
    const opts = options || {};
    const activity = Object.assign(baseActivity("message"), { textFormat: "plain" }, fields);
    const display = opts.display !== undefined ? opts.display : fields.text;
    const node = bubble("user", activity);
    if (display) {
      renderText(node, display, "plain");
    } else {
      node.classList.add("quiet");
      const summary = fields.value !== undefined ? " " + JSON.stringify(fields.value) : "";
      renderText(node, "(" + (opts.label || "message") + ")" + summary, "plain");
    }
    record(node, activity);
    showSuggested(null);
    node.dataset.state = "sending";
    return post(activity).then(function (result) {
      node.dataset.state = result.ok ? "sent" : "failed";
      return result;
    });
  }

  function performCardAction(action) {
    if (!action) return;
    const type = String(action.type || "");
    const value = action.value;
    if (type === "imBack") {
      sendMessage({ text: String(value != null ? value : action.title || "") });
    } else if (type === "postBack") {
      if (typeof value === "string") sendMessage({ text: value }, { display: null, label: "postBack " + value });
      else sendMessage({ value: value }, { label: "postBack" });
    } else if (type === "messageBack") {
      let parsed = value;
      if (typeof parsed === "string") {
        try { parsed = JSON.parse(parsed); } catch (error) { parsed = value; }
      }
      const fields = {};
      if (action.text) fields.text = action.text;
      if (parsed != null) fields.value = parsed;
      sendMessage(fields, { display: action.displayText || null, label: "messageBack" });
    } else if (OPEN_URL_TYPES.indexOf(type) >= 0) {
      const url = md.safeUrl(value);
      if (url) window.open(url, "_blank", "noopener");
      else notice("Not opened: " + String(value) + " is not an http(s) link.", "error");
    } else {
      notice(type + " actions are not supported by the dev chat.", "error");
    }
  }

  async function executeAction(action, data, replaceCard) {
    const activity = baseActivity("invoke");
    activity.name = "adaptiveCard/action";
    activity.value = {
      action: { type: "Action.Execute", id: action.id, verb: action.verb, data: data },
      trigger: "manual",
    };
    const line = activityLine(activity, true);
    line.firstChild.textContent = "Action.Execute " + (action.verb || action.title || "");
    const result = await post(activity);
    const body = result.body || {};
    record(line, { invokeResponse: body, status: result.status });
    if (!result.ok) return;
    if (body.type === "application/vnd.microsoft.card.adaptive" && body.value) replaceCard(body.value);
    else if (body.type === "application/vnd.microsoft.activity.message" && body.value) notice(String(body.value), "info");
    else if (body.statusCode >= 400) notice("The action failed (" + body.statusCode + ")", "error");
  }

  const cardContext = {
    cardAction: performCardAction,
    submit: function (action, data) {
      if (typeof data === "string") sendMessage({ text: data });
      else sendMessage({ value: data, channelData: { postBack: true } }, { label: "card submit" });
    },
    execute: executeAction,
  };

  // --------------------------------------------------------------------------- receiving

  function showSuggested(suggested) {
    ui.suggested.replaceChildren();
    const actions = suggested && Array.isArray(suggested.actions) ? suggested.actions : [];
    actions.forEach(function (action) {
      const label = action.title || String(action.value || "");
      const button = el("button", "suggested-action", label);
      button.type = "button";
      button.dataset.actionType = action.type || "";
      if (md.safeUrl(action.image, "image")) {
        const icon = el("img", "suggested-icon");
        icon.src = md.safeUrl(action.image, "image");
        icon.alt = "";
        button.prepend(icon);
      }
      button.addEventListener("click", function () {
        ui.suggested.replaceChildren();
        performCardAction(action);
      });
      ui.suggested.appendChild(button);
    });
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    ui.typing.hidden = true;
  }

  function showTyping(activity) {
    const name = (activity.from && activity.from.name) || config.agent.name;
    ui.typingLabel.textContent = name + " is typing";
    ui.typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 5000);
  }

  function streamInfo(activity) {
    return (activity.entities || []).find(function (e) {
      return e && typeof e.type === "string" && e.type.toLowerCase() === "streaminfo";
    }) || null;
  }

  function onMessage(activity) {
    hideTyping();
    const info = streamInfo(activity);
    let node = info ? conversation.streams.get(info.streamId || activity.id) : null;
    if (node) {
      node.dataset.streamState = info.streamResult === "error" ? "error" : "final";
      part(node, "informative").hidden = true;
    } else {
      node = bubble("agent", activity);
    }
    conversation.bubbles.set(activity.id, node);
    record(node, activity);
    renderMessage(node, activity);
    showSuggested(activity.suggestedActions);
  }

  function onTyping(activity) {
    const info = streamInfo(activity);
    if (!info) {
      activityLine(activity, false);
      showTyping(activity);
      return;
    }
    hideTyping();
    const key = info.streamId || activity.id;
    let node = conversation.streams.get(key);
    if (!node) {
      node = bubble("agent", activity);
      node.dataset.streamState = "streaming";
      node.dataset.streamId = key;
      conversation.streams.set(key, node);
    }
    conversation.bubbles.set(activity.id, node);
    record(node, activity);
    if (node.dataset.streamState !== "streaming") return; // an update that came after the end
    const sequence = Number(info.streamSequence || 0);
    if (sequence && sequence <= Number(node.dataset.streamSequence || 0)) return;
    if (sequence) node.dataset.streamSequence = String(sequence);
    if (info.streamType === "informative") {
      const line = part(node, "informative");
      line.textContent = activity.text || "";
      line.hidden = false;
    } else {
      part(node, "informative").hidden = true;
      renderText(node, activity.text, activity.textFormat);
    }
    scrollDown();
  }

  function onEvent(event) {
    const activity = event.activity || {};
    const known = conversation.bubbles.get(activity.id);
    if (event.op === "delete") {
      if (known) known.remove();
      return;
    }
    if (event.op === "update" && known) {
      record(known, activity);
      known.classList.add("edited");
      if (activity.type === "message") renderMessage(known, activity);
      return;
    }
    if (known) return; // already shown (an event replayed after a reconnect)
    if (activity.type === "message") onMessage(activity);
    else if (activity.type === "typing") onTyping(activity);
    else activityLine(activity, activity.type === "endOfConversation");
  }

  // ------------------------------------------------------------------------- conversation

  function greet() {
    const activity = baseActivity("conversationUpdate");
    activity.membersAdded = [
      { id: config.user.id, name: config.user.name },
      { id: config.agent.id, name: config.agent.name },
    ];
    post(activity);
  }

  function startConversation() {
    if (conversation && conversation.source) conversation.source.close();
    ui.transcript.replaceChildren();
    showSuggested(null);
    hideTyping();
    const current = { id: "dev-" + newId(), bubbles: new Map(), streams: new Map(), greeted: false };
    conversation = current;
    document.body.dataset.conversationId = current.id;
    document.body.dataset.ready = "false";
    setStatus("connecting", "connecting…");
    const source = new EventSource(config.eventsUrl + "?conversation=" + encodeURIComponent(current.id));
    current.source = source;
    source.addEventListener("ready", function () {
      if (conversation !== current) return;
      setStatus("connected", "connected");
      if (!current.greeted) {
        current.greeted = true;
        greet();
      }
      document.body.dataset.ready = "true";
    });
    source.addEventListener("activity", function (message) {
      if (conversation !== current) return;
      let event;
      try { event = JSON.parse(message.data); } catch (error) { return; }
      onEvent(event);
    });
    source.onerror = function () {
      if (conversation === current) setStatus("reconnecting", "reconnecting…");
    };
  }

  async function init() {
    try {
      const response = await fetch("/_dev/config", { cache: "no-store" });
      config = await response.json();
    } catch (error) {
      setStatus("error", "cannot load the dev chat settings");
      return;
    }
    ui.title.textContent = config.title;
    document.title = config.title + " · dev chat";
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      const text = ui.input.value.trim();
      if (!text) return;
      ui.input.value = "";
      sendMessage({ text: text });
    });
    ui.restart.addEventListener("click", function () {
      startConversation();
      ui.input.focus();
    });
    ui.showAll.addEventListener("change", function () {
      document.body.classList.toggle("show-all", ui.showAll.checked);
    });
    startConversation();
    ui.input.focus();
  }

  init();
})();
