// Block Kit blocks as DOM. Anything it cannot draw is a visible placeholder, never dropped.
"use strict";
(function () {
  const { el, render: mrkdwn, channelOf, openChannel } = window.Mrkdwn;
  const SAFE_IMAGE = /^https?:/i;

  function text(obj, ctx) {
    if (!obj) return el("span");
    if (typeof obj === "string") return mrkdwn(obj, ctx);
    if (obj.type === "plain_text") return el("span", "plain", obj.text || "");
    return mrkdwn(obj.text || "", ctx);
  }

  function plain(obj) {
    return obj && typeof obj === "object" ? obj.text || "" : String(obj || "");
  }

  function placeholder(kind) {
    return el("span", "placeholder", "[" + kind + " — not shown in the sandbox]");
  }

  function image(obj, className) {
    const url = obj.image_url || obj.url || "";
    if (!SAFE_IMAGE.test(url)) return el("span", "placeholder", "[image: " + (obj.alt_text || "") + "]");
    const img = el("img", className);
    img.src = url;
    img.alt = obj.alt_text || "";
    return img;
  }

  function options(element) {
    const list = element.options || [];
    for (const group of element.option_groups || []) list.push(...(group.options || []));
    return list;
  }

  function selectFor(element, ctx, at, use) {
    const select = el("select", "element-select");
    select.setAttribute("aria-label", plain(element.placeholder) || "Choose");
    select.append(new Option(plain(element.placeholder) || "Choose…", ""));
    if (element.type === "users_select") {
      for (const [id, name] of Object.entries(ctx.users || {})) select.append(new Option("@" + name, id));
    } else {
      for (const option of options(element)) select.append(new Option(plain(option.text), option.value));
    }
    select.addEventListener("change", () => select.value && use({ ...at, choice: select.value }));
    return select;
  }

  function element(item, ctx, at, use) {
    const node = drawElement(item, ctx, at, use);
    node.dataset.key = (ctx.key || "") + "/" + at.block + "/" + at.element;  // focus survives a redraw
    return node;
  }

  function drawElement(item, ctx, at, use) {
    const kind = item && item.type;
    if (kind === "button") {
      const button = el("button", "btn " + (item.style || ""), plain(item.text));
      button.type = "button";
      button.dataset.actionId = item.action_id || "";
      button.addEventListener("click", () => {
        const channel = channelOf(item.url);
        if (channel) openChannel(channel);
        else if (item.url && /^https?:/i.test(item.url)) window.open(item.url, "_blank", "noopener");
        use(at);
      });
      return button;
    }
    if (kind === "static_select" || kind === "overflow" || kind === "users_select") {
      return selectFor(item, ctx, at, use);
    }
    if (kind === "image") return image(item, "context-image");
    if (kind === "mrkdwn" || kind === "plain_text") return text(item, ctx);
    return placeholder((kind || "unknown") + " element");
  }

  function section(block, ctx, i, use) {
    const node = el("div", "block section");
    if (block.text) node.append(text(block.text, ctx));
    if (block.fields) {
      const grid = node.appendChild(el("div", "fields"));
      for (const field of block.fields) grid.append(text(field, ctx));
    }
    if (block.accessory) {
      const side = node.appendChild(el("div", "accessory"));
      side.append(element(block.accessory, ctx, { block: i, element: null }, use));
    }
    return node;
  }

  function row(block, ctx, i, use, className) {
    const node = el("div", "block " + className);
    (block.elements || []).forEach((item, j) => node.append(element(item, ctx, { block: i, element: j }, use)));
    return node;
  }

  function richText(block, ctx) {
    const node = el("div", "block rich-text");
    for (const part of block.elements || []) {
      const tag = { rich_text_quote: "blockquote", rich_text_preformatted: "pre" }[part.type] || "div";
      if (part.type === "rich_text_list") {
        const list = node.appendChild(el(part.style === "ordered" ? "ol" : "ul"));
        for (const item of part.elements || []) list.append(richRun(item.elements || [], ctx, el("li")));
      } else node.append(richRun(part.elements || [], ctx, el(tag)));
    }
    return node;
  }

  function richRun(items, ctx, into) {
    for (const item of items) {
      let node;
      if (item.type === "link" && /^(https?:|mailto:)/i.test(item.url || "")) {
        node = el("a", "", item.text || item.url);
        node.href = item.url;
        node.target = "_blank";
        node.rel = "noopener noreferrer";
      } else if (item.type === "user") node = el("span", "mention", "@" + ((ctx.users || {})[item.user_id] || item.user_id));
      else if (item.type === "channel") node = el("span", "mention", "#" + ((ctx.names || {})[item.channel_id] || item.channel_id));
      else if (item.type === "emoji") node = el("span", "", ":" + item.name + ":");
      else node = el(item.style && item.style.code ? "code" : "span", "", item.text || "");
      if (item.style && item.style.bold) node.classList.add("b");
      if (item.style && item.style.italic) node.classList.add("i");
      into.append(node);
    }
    return into;
  }

  function block(item, ctx, i, use) {
    switch (item.type) {
      case "header":
        return el("h3", "block header", plain(item.text));
      case "section":
        return section(item, ctx, i, use);
      case "divider":
        return el("hr", "block divider");
      case "context":
        return row(item, ctx, i, use, "context");
      case "actions":
        return row(item, ctx, i, use, "actions");
      case "image": {
        const node = el("figure", "block image");
        if (item.title) node.append(el("figcaption", "", plain(item.title)));
        node.append(image(item, ""));
        return node;
      }
      case "rich_text":
        return richText(item, ctx);
      default:
        return el("div", "block", "").appendChild(placeholder((item.type || "unknown") + " block")).parentNode;
    }
  }

  function renderBlocks(blocks, ctx, use) {
    const out = el("div", "blocks");
    (blocks || []).forEach((item, i) => out.append(block(item || {}, ctx, i, use)));
    return out;
  }

  window.Blocks = { renderBlocks, block, text, plain, options };
})();
