// Attachments for the dev chat: Adaptive Cards (through DevAdaptive), Hero and Thumbnail cards,
// sign-in / OAuth, receipt and media cards, images, text and files. Card text never becomes
// markup: everything is built as DOM nodes.
//
// DevCards.renderAttachment(attachment, ctx) takes the context DevAdaptive.render takes.
(function () {
  "use strict";
  const md = window.DevMarkdown;
  const el = md.el;
  const renderAdaptiveCard = window.DevAdaptive.render;
  const image = window.DevAdaptive.image;

  function cardButtons(buttons, ctx) {
    const bar = el("div", "card-buttons");
    (buttons || []).forEach(function (action) {
      if (!action) return;
      const button = el("button", "card-button", action.title || action.text || String(action.value || ""));
      button.type = "button";
      button.dataset.actionType = action.type || "";
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        ctx.cardAction(action);
      });
      bar.appendChild(button);
    });
    return bar;
  }

  function heroCard(content, ctx, kind) {
    const node = el("div", "hero-card card " + kind);
    const images = el("div", "hero-images");
    (content.images || []).forEach(function (entry) {
      const img = image({ url: entry.url, altText: entry.alt });
      if (entry.tap) {
        img.classList.add("ac-selectable");
        img.addEventListener("click", function (event) {
          event.stopPropagation();
          ctx.cardAction(entry.tap);
        });
      }
      images.appendChild(img);
    });
    if (images.childNodes.length) node.appendChild(images);
    const text = el("div", "hero-text");
    if (content.title) text.appendChild(el("div", "hero-title")).appendChild(md.renderInline(content.title));
    if (content.subtitle) text.appendChild(el("div", "hero-subtitle")).appendChild(md.renderInline(content.subtitle));
    if (content.text) text.appendChild(el("div", "hero-body")).appendChild(md.render(content.text));
    (content.media || []).forEach(function (media) {
      const href = md.safeUrl(media && media.url);
      if (!href) return;
      const a = text.appendChild(el("a", "hero-media", "▶ " + (media.profile || href)));
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    });
    node.appendChild(text);
    if (content.buttons && content.buttons.length) node.appendChild(cardButtons(content.buttons, ctx));
    if (content.tap) {
      node.classList.add("ac-selectable");
      node.addEventListener("click", function () { ctx.cardAction(content.tap); });
    }
    return node;
  }

  function receiptCard(content, ctx) {
    const node = el("div", "receipt-card card");
    if (content.title) node.appendChild(el("div", "hero-title")).appendChild(md.renderInline(content.title));
    const facts = el("dl", "ac-factset");
    (content.facts || []).forEach(function (fact) {
      facts.appendChild(el("dt", null, fact.key));
      facts.appendChild(el("dd", null, fact.value));
    });
    node.appendChild(facts);
    const items = el("div", "receipt-items");
    (content.items || []).forEach(function (item) {
      const row = items.appendChild(el("div", "receipt-item"));
      row.appendChild(el("span", null, [item.title, item.subtitle].filter(Boolean).join(" — ")));
      row.appendChild(el("span", "receipt-price", item.price || ""));
    });
    node.appendChild(items);
    [["Tax", content.tax], ["VAT", content.vat], ["Total", content.total]].forEach(function (pair) {
      if (!pair[1]) return;
      const row = node.appendChild(el("div", "receipt-item receipt-" + pair[0].toLowerCase()));
      row.appendChild(el("span", null, pair[0]));
      row.appendChild(el("span", "receipt-price", pair[1]));
    });
    if (content.buttons) node.appendChild(cardButtons(content.buttons, ctx));
    return node;
  }

  function fileLink(attachment) {
    const node = el("div", "file-attachment");
    const href = md.safeUrl(attachment.contentUrl);
    const name = attachment.name || attachment.contentType || "attachment";
    if (href) {
      const a = node.appendChild(el("a", null, "📎 " + name));
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    } else {
      node.textContent = "📎 " + name;
    }
    return node;
  }

  const CARD = "application/vnd.microsoft.card.";

  function renderAttachment(attachment, ctx) {
    const type = String(attachment && attachment.contentType || "").toLowerCase();
    const content = attachment && attachment.content;
    if (type === CARD + "adaptive") return renderAdaptiveCard(content, ctx);
    if (content && typeof content === "object") {
      if (type === CARD + "hero") return heroCard(content, ctx, "hero");
      if (type === CARD + "thumbnail") return heroCard(content, ctx, "thumbnail");
      if (type === CARD + "receipt") return receiptCard(content, ctx);
      if (type === CARD + "signin" || type === CARD + "oauth") return heroCard(content, ctx, "signin");
      if (type === CARD + "animation" || type === CARD + "audio" || type === CARD + "video") {
        return heroCard(Object.assign({}, content, { images: content.image ? [content.image] : [] }), ctx, "media");
      }
    }
    if (type.indexOf("image/") === 0 && md.safeUrl(attachment.contentUrl, "image")) {
      const img = el("img", "attachment-image");
      img.src = md.safeUrl(attachment.contentUrl, "image");
      img.alt = attachment.name || "";
      return img;
    }
    if ((type === "text/markdown" || type === "text/plain") && typeof content === "string") {
      const node = el("div", "text-attachment");
      node.appendChild(type === "text/plain" ? document.createTextNode(content) : md.render(content));
      return node;
    }
    if (attachment && attachment.contentUrl) return fileLink(attachment);
    const node = el("div", "unknown-attachment");
    node.appendChild(el("div", "ac-unsupported", "[" + (type || "attachment") + " is not shown by the dev chat]"));
    if (content != null) node.appendChild(el("pre", "raw", JSON.stringify(content, null, 2)));
    return node;
  }

  window.DevCards = { renderAttachment: renderAttachment, renderAdaptiveCard: renderAdaptiveCard };
})();
