// A small markdown renderer for the dev chat. It builds DOM nodes (text always goes through
// text nodes, never through innerHTML), so agent text cannot inject markup. Links keep only
// http(s) and mailto targets; images only http(s) and data:image URLs.
//
// Blocks: paragraphs (single line breaks kept), # headings, - * + and 1. lists, > quotes,
// ``` fenced code, --- rules, | tables |. Inline: **bold**, *italic*, _italic_, ~~strike~~,
// `code`, [text](url), ![alt](url), bare http(s) links, backslash escapes.
(function () {
  "use strict";

  function safeUrl(url, kind) {
    const text = String(url == null ? "" : url).trim();
    if (kind === "image") {
      return /^(https?:\/\/|data:image\/(png|gif|jpe?g|webp|svg\+xml)[;,])/i.test(text) ? text : null;
    }
    return /^(https?:\/\/|mailto:)/i.test(text) ? text : null;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function link(href, parent) {
    const a = el("a");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    parent.appendChild(a);
    return a;
  }

  const ESCAPABLE = "\\`*_{}[]()#+-.!~>|";
  const WORD = /[A-Za-z0-9]/;
  const BARE_URL = /^https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]]/;
  // [text](url "title"); the url may hold one level of balanced parentheses.
  const TARGET = '\\(\\s*<?((?:[^()\\s<>]|\\([^()\\s]*\\))*)>?(?:\\s+"[^"]*")?\\s*\\)';
  const LINK = new RegExp("^\\[([^\\]]*)\\]" + TARGET);
  const IMAGE = new RegExp("^!\\[([^\\]]*)\\]" + TARGET);

  // The index of the closing single delimiter `ch` for an emphasis opened before `from`.
  function closingSingle(text, ch, from) {
    for (let j = from; j < text.length; j++) {
      if (text[j] === "\\") { j++; continue; }
      if (text[j] !== ch) continue;
      if (text[j + 1] === ch) { j++; continue; }
      if (/\s/.test(text[j - 1] || " ")) continue;
      if (ch === "_" && WORD.test(text[j + 1] || "")) continue;
      return j;
    }
    return -1;
  }

  function inline(text, parent) {
    let buffer = "";
    const flush = function () {
      if (buffer) parent.appendChild(document.createTextNode(buffer));
      buffer = "";
    };
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      const next = text[i + 1] || "";
      const rest = text.slice(i);
      if (c === "\\" && next && ESCAPABLE.indexOf(next) >= 0) {
        buffer += next;
        i += 2;
        continue;
      }
      if (c === "`") {
        const end = text.indexOf("`", i + 1);
        if (end > i + 1) {
          flush();
          parent.appendChild(el("code", null, text.slice(i + 1, end)));
          i = end + 1;
          continue;
        }
      }
      if ((c === "*" || c === "_" || c === "~") && next === c) {
        const end = text.indexOf(c + c, i + 2);
        const opensWord = c !== "_" || !WORD.test(text[i - 1] || "");
        if (end > i + 2 && opensWord && !/\s/.test(text[i + 2])) {
          flush();
          const node = el(c === "~" ? "del" : "strong");
          inline(text.slice(i + 2, end), node);
          parent.appendChild(node);
          i = end + 2;
          continue;
        }
      }
      if ((c === "*" || c === "_") && next && !/\s/.test(next) && next !== c) {
        const opensWord = c !== "_" || !WORD.test(text[i - 1] || "");
        const end = opensWord ? closingSingle(text, c, i + 1) : -1;
        if (end > i + 1) {
          flush();
          const node = el("em");
          inline(text.slice(i + 1, end), node);
          parent.appendChild(node);
          i = end + 1;
          continue;
        }
      }
      if (c === "!" && next === "[") {
        const m = IMAGE.exec(rest);
        if (m) {
          flush();
          const src = safeUrl(m[2], "image");
          if (src) {
            const img = el("img", "md-image");
            img.src = src;
            img.alt = m[1];
            parent.appendChild(img);
          } else {
            buffer += m[1];
          }
          i += m[0].length;
          continue;
        }
      }
      if (c === "[") {
        const m = LINK.exec(rest);
        if (m) {
          flush();
          const href = safeUrl(m[2]);
          inline(m[1] || m[2], href ? link(href, parent) : parent);
          i += m[0].length;
          continue;
        }
      }
      if ((c === "h" || c === "H") && !WORD.test(text[i - 1] || "")) {
        const m = BARE_URL.exec(rest);
        if (m) {
          flush();
          link(m[0], parent).textContent = m[0];
          i += m[0].length;
          continue;
        }
      }
      buffer += c;
      i++;
    }
    flush();
  }

  // Inline text whose line breaks are kept as <br>.
  function inlineLines(text, parent) {
    String(text).split("\n").forEach(function (line, index) {
      if (index > 0) parent.appendChild(el("br"));
      inline(line, parent);
    });
  }

  const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;
  const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
  const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
  const QUOTE = /^\s{0,3}>\s?(.*)$/;
  const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
  const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

  function cells(line) {
    let text = line.trim();
    if (text.startsWith("|")) text = text.slice(1);
    if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
    return text.split(/(?<!\\)\|/).map(function (cell) { return cell.trim(); });
  }

  function startsBlock(line, nextLine) {
    return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) ||
      ITEM.test(line) || (line.indexOf("|") >= 0 && TABLE_RULE.test(nextLine || ""));
  }

  function blocks(lines, parent) {
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      let m;
      if (!line.trim()) { i++; continue; }
      if ((m = FENCE.exec(line))) {
        const fence = m[1];
        const code = [];
        i++;
        while (i < lines.length && lines[i].trim().indexOf(fence) !== 0) code.push(lines[i++]);
        i++;
        const pre = el("pre", "md-code");
        pre.appendChild(el("code", m[2] ? "language-" + m[2] : null, code.join("\n")));
        parent.appendChild(pre);
        continue;
      }
      if ((m = HEADING.exec(line))) {
        const heading = el("div", "md-h md-h" + m[1].length);
        heading.setAttribute("role", "heading");
        heading.setAttribute("aria-level", String(m[1].length));
        inline(m[2], heading);
        parent.appendChild(heading);
        i++;
        continue;
      }
      if (RULE.test(line)) {
        parent.appendChild(el("hr"));
        i++;
        continue;
      }
      if (QUOTE.test(line)) {
        const inner = [];
        while (i < lines.length && (m = QUOTE.exec(lines[i]))) { inner.push(m[1]); i++; }
        const quote = el("blockquote");
        blocks(inner, quote);
        parent.appendChild(quote);
        continue;
      }
      if ((m = ITEM.exec(line))) {
        const ordered = /\d/.test(m[2]);
        const list = el(ordered ? "ol" : "ul");
        if (ordered && parseInt(m[2], 10) !== 1) list.start = parseInt(m[2], 10);
        const items = [];
        while (i < lines.length) {
          const item = ITEM.exec(lines[i]);
          if (item && /\d/.test(item[2]) === ordered && item[1].length <= m[1].length + 1) {
            items.push(item[3]);
            i++;
          } else if (items.length && lines[i].trim() && /^\s+/.test(lines[i])) {
            items[items.length - 1] += "\n" + lines[i].trim();
            i++;
          } else {
            break;
          }
        }
        items.forEach(function (text) {
          const li = el("li");
          inlineLines(text, li);
          list.appendChild(li);
        });
        parent.appendChild(list);
        continue;
      }
      if (line.indexOf("|") >= 0 && TABLE_RULE.test(lines[i + 1] || "")) {
        const table = el("table", "md-table");
        const head = el("tr");
        cells(line).forEach(function (cell) { inline(cell, head.appendChild(el("th"))); });
        table.appendChild(el("thead")).appendChild(head);
        const body = table.appendChild(el("tbody"));
        i += 2;
        while (i < lines.length && lines[i].indexOf("|") >= 0 && lines[i].trim()) {
          const row = el("tr");
          cells(lines[i]).forEach(function (cell) { inline(cell, row.appendChild(el("td"))); });
          body.appendChild(row);
          i++;
        }
        parent.appendChild(table);
        continue;
      }
      const paragraph = [line];
      i++;
      while (i < lines.length && lines[i].trim() && !startsBlock(lines[i], lines[i + 1])) {
        paragraph.push(lines[i++]);
      }
      const p = el("p");
      inlineLines(paragraph.join("\n"), p);
      parent.appendChild(p);
    }
  }

  // The markdown `text` as a fragment of DOM nodes.
  function render(text) {
    const fragment = document.createDocumentFragment();
    blocks(String(text == null ? "" : text).replace(/\r\n?/g, "\n").split("\n"), fragment);
    return fragment;
  }

  // Inline markdown only (no blocks), line breaks kept.
  function renderInline(text) {
    const fragment = document.createDocumentFragment();
    inlineLines(String(text == null ? "" : text), fragment);
    return fragment;
  }

  window.DevMarkdown = { render: render, renderInline: renderInline, safeUrl: safeUrl, el: el };
})();
