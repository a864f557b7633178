// Slack mrkdwn as DOM nodes: every piece of text becomes a text node (never innerHTML).
"use strict";
(function () {
  const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };
  const INLINE = /<([^<>\n]+)>|`([^`\n]+)`|(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<![\w_])_([^_\n]+)_(?![\w_])|(?<![\w~])~([^~\n]+)~(?![\w~])/g;
  const SAFE_URL = /^(https?:|mailto:)/i;

  function decode(text) {
    return text.replace(/&(amp|lt|gt);/g, (m) => ENTITIES[m]);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function angle(body, ctx) {
    const [target, label] = splitOnce(body, "|");
    if (target.startsWith("@")) {
      const name = label || (ctx.users && ctx.users[target.slice(1)]) || target.slice(1);
      return el("span", "mention", "@" + name);
    }
    if (target.startsWith("#")) {
      const name = label || (ctx.names && ctx.names[target.slice(1)]) || target.slice(1);
      return el("span", "mention", "#" + name);
    }
    if (target.startsWith("!")) {
      if (target.startsWith("!subteam^")) return el("span", "mention", label || "@group");
      if (target.startsWith("!date^")) return document.createTextNode(decode(label || ""));
      return el("span", "mention", "@" + target.slice(1));
    }
    const url = decode(target);
    if (!SAFE_URL.test(url)) return document.createTextNode(decode(label || target));
    const link = el("a", "", decode(label || target));
    link.href = url;
    const channel = channelOf(url);
    if (channel) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        openChannel(channel);
      });
      return link;
    }
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  // Slack's own links to a channel open it here, in the sandbox, instead of on slack.com.
  function channelOf(url) {
    const found = /^https:\/\/slack\.com\/app_redirect\?channel=([A-Z0-9]+)$/.exec(url || "");
    return found ? found[1] : null;
  }

  function openChannel(id) {
    document.dispatchEvent(new CustomEvent("sandbox:open-channel", { detail: id }));
  }

  function splitOnce(text, sep) {
    const at = text.indexOf(sep);
    return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
  }

  function inline(text, ctx, into) {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) into.append(decode(text.slice(last, match.index)));
      const [, link, code, bold, italic, strike] = match;
      if (link !== undefined) into.append(angle(link, ctx));
      else if (code !== undefined) into.append(el("code", "", decode(code)));
      else {
        const node = el(bold !== undefined ? "strong" : italic !== undefined ? "em" : "s");
        inline(bold ?? italic ?? strike, ctx, node);
        into.append(node);
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) into.append(decode(text.slice(last)));
    return into;
  }

  const BULLET = /^\s*(?:[•◦▪\-*]|\d+[.)])\s+/;
  const QUOTE = /^(?:&gt;|>)\s?/;

  function render(text, ctx) {
    const out = el("div", "mrkdwn");
    const lines = String(text || "").split("\n");
    let list = null;
    let quote = null;
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i];
      if (line.startsWith("```")) {
        const code = [];
        line = line.slice(3);
        while (i < lines.length && !line.endsWith("```")) {
          code.push(line);
          line = lines[++i] ?? "```";
        }
        code.push(line.slice(0, -3));
        out.append(el("pre", "", decode(code.join("\n"))));
        list = quote = null;
        continue;
      }
      if (QUOTE.test(line)) {
        if (!quote) out.append((quote = el("blockquote")));
        inline(line.replace(QUOTE, ""), ctx, quote.appendChild(el("div")));
        list = null;
        continue;
      }
      quote = null;
      const bullet = line.match(BULLET);
      if (bullet) {
        if (!list) out.append((list = el(/\d/.test(bullet[0]) ? "ol" : "ul")));
        inline(line.slice(bullet[0].length), ctx, list.appendChild(el("li")));
        continue;
      }
      list = null;
      out.append(line.trim() ? inline(line, ctx, el("p")) : el("p", "blank"));
    }
    return out;
  }

  window.Mrkdwn = { render, inline, el, decode, channelOf, openChannel };
})();
