// Adaptive Cards for the dev chat: the common elements (TextBlock, RichTextBlock, Image,
// ImageSet, FactSet, ColumnSet/Column, Container, ActionSet, Table, Media), the inputs, and
// Action.Submit / OpenUrl / Execute / ShowCard / ToggleVisibility. Unknown elements use their
// fallback or show a note. Like the markdown renderer it only builds DOM nodes.
//
// DevAdaptive.render(card, ctx) needs a context with three callbacks:
//   ctx.cardAction(action)                  a Bot Framework CardAction (Action.OpenUrl uses it)
//   ctx.submit(action, data)                Action.Submit with the inputs merged into its data
//   ctx.execute(action, data, replaceCard)  Action.Execute; replaceCard(newCard) swaps the card
(function () {
  "use strict";
  const md = window.DevMarkdown;
  const el = md.el;

  function classes(prefix, value) {
    return value ? " " + prefix + "-" + String(value).toLowerCase() : "";
  }

  function inputValue(input, node) {
    switch (input.type) {
      case "Input.Toggle":
        return node.checked ? String(input.valueOn == null ? "true" : input.valueOn)
          : String(input.valueOff == null ? "false" : input.valueOff);
      case "Input.ChoiceSet": {
        if (node.tagName === "SELECT") return node.value;
        const checked = node.querySelectorAll("input:checked");
        return Array.prototype.map.call(checked, function (box) { return box.value; }).join(",");
      }
      default:
        return node.value;
    }
  }

  function labelled(input, control) {
    if (!input.label) return control;
    const wrap = el("label", "ac-input-label");
    wrap.appendChild(el("span", null, input.label + (input.isRequired ? " *" : "")));
    wrap.appendChild(control);
    return wrap;
  }

  function renderInput(input, state) {
    let node;
    switch (input.type) {
      case "Input.Text":
        node = el(input.isMultiline ? "textarea" : "input", "ac-input");
        if (!input.isMultiline) node.type = { Email: "email", Tel: "tel", Url: "url" }[input.style] || "text";
        if (input.maxLength) node.maxLength = input.maxLength;
        break;
      case "Input.Number":
        node = el("input", "ac-input");
        node.type = "number";
        if (input.min != null) node.min = input.min;
        if (input.max != null) node.max = input.max;
        break;
      case "Input.Date":
      case "Input.Time":
        node = el("input", "ac-input");
        node.type = input.type === "Input.Date" ? "date" : "time";
        break;
      case "Input.Toggle": {
        const wrap = el("label", "ac-toggle");
        node = el("input");
        node.type = "checkbox";
        node.checked = input.value != null && String(input.value) === String(input.valueOn == null ? "true" : input.valueOn);
        wrap.appendChild(node);
        wrap.appendChild(el("span", null, input.title || ""));
        state.inputs.push({ input: input, node: node });
        return labelled(input, wrap);
      }
      case "Input.ChoiceSet": {
        const choices = Array.isArray(input.choices) ? input.choices : [];
        const selected = String(input.value == null ? "" : input.value).split(",");
        if (input.isMultiSelect || input.style === "expanded") {
          node = el("div", "ac-choices");
          choices.forEach(function (choice) {
            const row = el("label", "ac-choice");
            const box = el("input");
            box.type = input.isMultiSelect ? "checkbox" : "radio";
            box.name = "choice-" + (input.id || "") + "-" + state.uid;
            box.value = choice.value;
            box.checked = selected.indexOf(String(choice.value)) >= 0;
            row.appendChild(box);
            row.appendChild(el("span", null, choice.title));
            node.appendChild(row);
          });
        } else {
          node = el("select", "ac-input");
          if (input.placeholder) node.appendChild(el("option", null, input.placeholder)).value = "";
          choices.forEach(function (choice) {
            const option = node.appendChild(el("option", null, choice.title));
            option.value = choice.value;
            option.selected = selected.indexOf(String(choice.value)) >= 0;
          });
        }
        state.inputs.push({ input: input, node: node });
        return labelled(input, node);
      }
      default:
        return null;
    }
    if (input.placeholder) node.placeholder = input.placeholder;
    if (input.value != null) node.value = input.value;
    state.inputs.push({ input: input, node: node });
    return labelled(input, node);
  }

  // The values of the card's inputs, or null (with the missing ones marked) when a required
  // input is empty.
  function collectInputs(state) {
    const values = {};
    let complete = true;
    state.inputs.forEach(function (entry) {
      const value = inputValue(entry.input, entry.node);
      const missing = entry.input.isRequired && !value;
      entry.node.classList.toggle("ac-invalid", Boolean(missing));
      if (missing) complete = false;
      if (entry.input.id) values[entry.input.id] = value;
    });
    return complete ? values : null;
  }

  function runAction(action, state, ctx, showCardHost) {
    const type = action.type;
    if (type === "Action.OpenUrl") {
      ctx.cardAction({ type: "openUrl", value: action.url, title: action.title });
    } else if (type === "Action.Submit" || type === "Action.Execute") {
      const inputs = collectInputs(state);
      if (inputs === null) return;
      let data = action.data;
      if (data == null || typeof data === "object") data = Object.assign({}, data || {}, inputs);
      if (type === "Action.Submit") ctx.submit(action, data);
      else ctx.execute(action, data, state.replaceCard);
    } else if (type === "Action.ShowCard" && action.card && showCardHost) {
      const open = showCardHost.dataset.openFor === action.title && !showCardHost.hidden;
      showCardHost.replaceChildren();
      showCardHost.hidden = open;
      if (!open) {
        showCardHost.dataset.openFor = action.title || "";
        showCardHost.appendChild(renderBody(action.card, state, ctx, "ac-card ac-subcard"));
      }
    } else if (type === "Action.ToggleVisibility") {
      (action.targetElements || []).forEach(function (target) {
        const id = typeof target === "string" ? target : target && target.elementId;
        const node = state.ids[id];
        if (!node) return;
        node.hidden = typeof target === "object" && target.isVisible != null ? !target.isVisible : !node.hidden;
      });
    }
  }

  function actionBar(actions, state, ctx) {
    const bar = el("div", "ac-actions");
    const host = el("div", "ac-showcard");
    host.hidden = true;
    actions.forEach(function (action) {
      if (!action || typeof action !== "object") return;
      const known = /^Action\.(Submit|OpenUrl|Execute|ShowCard|ToggleVisibility)$/.test(action.type);
      const button = el("button", "ac-action" + classes("style", action.style), action.title || action.verb || action.type);
      button.type = "button";
      button.dataset.actionType = action.type || "";
      if (!known) {
        button.disabled = true;
        button.title = action.type + " is not supported by the dev chat";
      }
      button.addEventListener("click", function () { runAction(action, state, ctx, host); });
      bar.appendChild(button);
    });
    const wrap = el("div", "ac-actionset");
    wrap.appendChild(bar);
    wrap.appendChild(host);
    return wrap;
  }

  function selectable(node, action, state, ctx) {
    if (!action || typeof action !== "object") return node;
    node.classList.add("ac-selectable");
    node.tabIndex = 0;
    node.setAttribute("role", "button");
    const run = function (event) {
      event.stopPropagation();
      runAction(action, state, ctx, null);
    };
    node.addEventListener("click", run);
    node.addEventListener("keydown", function (event) { if (event.key === "Enter") run(event); });
    return node;
  }

  function image(item) {
    const src = md.safeUrl(item.url, "image");
    if (!src) return el("span", "ac-unsupported", item.altText || "[image]");
    const img = el("img", "ac-image" + classes("size", item.size) + classes("style", item.style) + classes("align", item.horizontalAlignment));
    img.src = src;
    img.alt = item.altText || "";
    if (item.width && /^\d+px$/.test(item.width)) img.style.width = item.width;
    if (item.height && /^\d+px$/.test(item.height)) img.style.height = item.height;
    return img;
  }

  function columnWidth(node, width) {
    if (width === "auto") node.style.flex = "0 0 auto";
    else if (typeof width === "number" || /^\d+(\.\d+)?$/.test(String(width || ""))) node.style.flex = Number(width) + " 1 0";
    else if (/^\d+px$/.test(String(width || ""))) node.style.flex = "0 0 " + width;
    else node.style.flex = "1 1 0";
  }

  const ELEMENTS = {
    TextBlock: function (item) {
      const node = el("div", "ac-text" + classes("size", item.size) + classes("weight", item.weight) +
        classes("color", item.color) + classes("align", item.horizontalAlignment) +
        (item.isSubtle ? " ac-subtle" : "") + (item.style === "heading" ? " ac-heading" : ""));
      node.appendChild(md.render(item.text));
      return node;
    },
    RichTextBlock: function (item) {
      const node = el("div", "ac-text ac-rich" + classes("align", item.horizontalAlignment));
      (item.inlines || []).forEach(function (run) {
        if (typeof run === "string") { node.appendChild(document.createTextNode(run)); return; }
        if (!run || run.type !== "TextRun") return;
        const span = el("span", "ac-run" + classes("size", run.size) + classes("weight", run.weight) +
          classes("color", run.color) + (run.isSubtle ? " ac-subtle" : "") + (run.italic ? " ac-italic" : "") +
          (run.strikethrough ? " ac-strike" : "") + (run.underline ? " ac-underline" : "") +
          (run.highlight ? " ac-highlight" : "") + (run.fontType === "Monospace" ? " ac-mono" : ""), run.text);
        node.appendChild(span);
      });
      return node;
    },
    Image: function (item, state, ctx) { return selectable(image(item), item.selectAction, state, ctx); },
    ImageSet: function (item) {
      const node = el("div", "ac-imageset");
      (item.images || []).forEach(function (entry) {
        node.appendChild(image(Object.assign({ size: item.imageSize || "medium" }, entry)));
      });
      return node;
    },
    FactSet: function (item) {
      const node = el("dl", "ac-factset");
      (item.facts || []).forEach(function (fact) {
        node.appendChild(el("dt")).appendChild(md.renderInline(fact.title));
        node.appendChild(el("dd")).appendChild(md.renderInline(fact.value));
      });
      return node;
    },
    Container: function (item, state, ctx) {
      const node = el("div", "ac-container" + classes("style", item.style) + classes("valign", item.verticalContentAlignment));
      appendElements(node, item.items, state, ctx);
      return selectable(node, item.selectAction, state, ctx);
    },
    ColumnSet: function (item, state, ctx) {
      const node = el("div", "ac-columnset" + classes("style", item.style));
      (item.columns || []).forEach(function (column) {
        const col = ELEMENTS.Column(column, state, ctx);
        if (column.id) state.ids[column.id] = col;
        if (column.isVisible === false) col.hidden = true;
        node.appendChild(col);
      });
      return selectable(node, item.selectAction, state, ctx);
    },
    Column: function (item, state, ctx) {
      const node = el("div", "ac-column" + classes("style", item.style) + classes("valign", item.verticalContentAlignment));
      columnWidth(node, item.width);
      appendElements(node, item.items, state, ctx);
      return selectable(node, item.selectAction, state, ctx);
    },
    ActionSet: function (item, state, ctx) { return actionBar(item.actions || [], state, ctx); },
    Table: function (item, state, ctx) {
      const table = el("table", "ac-table");
      (item.rows || []).forEach(function (row, index) {
        const tr = el("tr");
        (row.cells || []).forEach(function (cell) {
          const td = el(index === 0 && item.firstRowAsHeader !== false ? "th" : "td");
          appendElements(td, cell.items, state, ctx);
          tr.appendChild(td);
        });
        table.appendChild(tr);
      });
      return table;
    },
    Media: function (item) {
      const source = (item.sources || [])[0];
      const href = source && md.safeUrl(source.url);
      const node = el("div", "ac-media");
      if (href) {
        const a = node.appendChild(el("a", null, "▶ " + (item.altText || "media")));
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      } else {
        node.textContent = "[media]";
      }
      return node;
    },
  };
  ["Input.Text", "Input.Number", "Input.Date", "Input.Time", "Input.Toggle", "Input.ChoiceSet"].forEach(function (type) {
    ELEMENTS[type] = function (item, state) { return renderInput(item, state); };
  });

  function renderElement(item, state, ctx) {
    if (!item || typeof item !== "object") return null;
    const render = ELEMENTS[item.type];
    if (render && item.type !== "Column") return render(item, state, ctx);
    if (item.fallback === "drop") return null;
    if (item.fallback && typeof item.fallback === "object") return renderElement(item.fallback, state, ctx);
    return el("div", "ac-unsupported", "[" + (item.type || "element") + " is not shown by the dev chat]");
  }

  function appendElements(parent, items, state, ctx) {
    (Array.isArray(items) ? items : []).forEach(function (item) {
      const node = renderElement(item, state, ctx);
      if (!node) return;
      node.classList.add("ac-element");
      if (item.separator) node.classList.add("ac-separator");
      if (item.spacing) node.classList.add("ac-spacing-" + String(item.spacing).toLowerCase());
      if (item.isVisible === false) node.hidden = true;
      if (item.id) state.ids[item.id] = node;
      parent.appendChild(node);
    });
  }

  function renderBody(card, state, ctx, className) {
    const node = el("div", className);
    appendElements(node, card.body, state, ctx);
    if (Array.isArray(card.actions) && card.actions.length) node.appendChild(actionBar(card.actions, state, ctx));
    if (!node.childNodes.length && card.fallbackText) node.appendChild(md.render(card.fallbackText));
    return node;
  }

  let uid = 0;

  function renderAdaptiveCard(card, ctx) {
    if (typeof card === "string") {
      try { card = JSON.parse(card); } catch (error) { return el("div", "ac-unsupported", "[the Adaptive Card is not valid JSON]"); }
    }
    if (!card || typeof card !== "object") return el("div", "ac-unsupported", "[empty Adaptive Card]");
    const holder = el("div", "ac-holder");
    const state = { inputs: [], ids: {}, uid: ++uid };
    state.replaceCard = function (next) { holder.replaceWith(renderAdaptiveCard(next, ctx)); };
    holder.appendChild(renderBody(card, state, ctx, "ac-card card"));
    return holder;
  }

  window.DevAdaptive = { render: renderAdaptiveCard, image: image };
})();
