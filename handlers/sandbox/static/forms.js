// A modal's input blocks as a form; its values as block_id -> what the person typed or picked.
"use strict";
(function () {
  const { el } = window.Mrkdwn;
  const { block, plain, options } = window.Blocks;

  function controlId(blockId) {
    return "field-" + blockId.replace(/[^\w-]/g, "_");
  }

  function localInput(epoch) {
    if (!epoch) return "";
    const date = new Date(Number(epoch) * 1000);
    date.setMinutes(date.getMinutes() - date.getTimezoneOffset());
    return date.toISOString().slice(0, 16);
  }

  function textInput(element, id) {
    const node = el(element.multiline ? "textarea" : "input");
    if (!element.multiline) node.type = "text";
    else node.rows = 3;
    node.value = element.initial_value || "";
    if (element.max_length) node.maxLength = element.max_length;
    if (element.placeholder) node.placeholder = plain(element.placeholder);
    node.id = id;
    node.dataset.kind = "text";
    return node;
  }

  function selectInput(element, id, ctx) {
    const node = el("select");
    node.id = id;
    node.dataset.kind = "one";
    node.append(new Option(plain(element.placeholder) || "Choose…", ""));
    const chosen = element.type === "users_select" ? element.initial_user : (element.initial_option || {}).value;
    const choices = element.type === "users_select"
      ? Object.entries(ctx.people || {}).map(([value, name]) => ({ value, label: "@" + name }))
      : options(element).map((o) => ({ value: o.value, label: plain(o.text) }));
    for (const choice of choices) node.append(new Option(choice.label, choice.value, false, choice.value === chosen));
    return node;
  }

  function group(element, id, multiple) {
    const node = el("div", "choices");
    node.id = id;
    node.dataset.kind = multiple ? "many" : "radio";
    node.setAttribute("role", multiple ? "group" : "radiogroup");
    const initial = multiple
      ? (element.initial_options || []).map((o) => o.value)
      : [(element.initial_option || {}).value];
    options(element).forEach((option, k) => {
      const label = node.appendChild(el("label", "choice"));
      const box = label.appendChild(el("input"));
      box.type = multiple ? "checkbox" : "radio";
      box.name = id;
      box.value = option.value;
      box.id = id + "-" + k;
      box.checked = initial.includes(option.value);
      label.append(" " + plain(option.text));
    });
    return node;
  }

  function control(element, id, ctx) {
    switch (element.type) {
      case "plain_text_input":
        return textInput(element, id);
      case "static_select":
      case "users_select":
        return selectInput(element, id, ctx);
      case "multi_static_select":
      case "checkboxes":
        return group(element, id, true);
      case "radio_buttons":
        return group(element, id, false);
      case "datetimepicker": {
        const node = el("input");
        node.type = "datetime-local";
        node.id = id;
        node.dataset.kind = "datetime";
        node.value = localInput(element.initial_date_time);
        return node;
      }
      default:
        return el("span", "placeholder", "[" + element.type + " input — not shown in the sandbox]");
    }
  }

  function input(item, ctx) {
    const id = controlId(item.block_id);
    const wrap = el("div", "field");
    wrap.dataset.blockId = item.block_id;
    const label = wrap.appendChild(el("label", "field-label", plain(item.label)));
    label.htmlFor = id;
    label.id = id + "-label";
    if (item.optional) label.append(el("span", "optional", " (optional)"));
    const node = wrap.appendChild(control(item.element || {}, id, ctx));
    node.setAttribute("aria-labelledby", label.id);
    const described = [];
    if (item.hint) {
      const hint = wrap.appendChild(el("p", "hint", plain(item.hint)));
      hint.id = id + "-hint";
      described.push(hint.id);
    }
    const error = wrap.appendChild(el("p", "error"));
    error.id = id + "-error";
    error.hidden = true;
    described.push(error.id);
    node.setAttribute("aria-describedby", described.join(" "));
    return wrap;
  }

  function renderForm(view, ctx, use) {
    const out = el("div", "form");
    (view.blocks || []).forEach((item, i) => {
      out.append(item.type === "input" ? input(item, ctx) : block(item, ctx, i, use));
    });
    return out;
  }

  function value(wrap) {
    const node = wrap.querySelector("[data-kind]");
    if (!node) return undefined;
    const kind = node.dataset.kind;
    if (kind === "text") return node.value;
    if (kind === "one") return node.value || null;
    if (kind === "many") return [...node.querySelectorAll("input:checked")].map((b) => b.value);
    if (kind === "radio") return (node.querySelector("input:checked") || {}).value || null;
    if (kind === "datetime") return node.value ? Math.floor(new Date(node.value).getTime() / 1000) : null;
    return undefined;
  }

  function values(form) {
    const out = {};
    for (const wrap of form.querySelectorAll(".field")) {
      const v = value(wrap);
      if (v !== undefined) out[wrap.dataset.blockId] = v;
    }
    return out;
  }

  function showErrors(form, errors) {
    let first = null;
    for (const wrap of form.querySelectorAll(".field")) {
      const message = (errors || {})[wrap.dataset.blockId];
      const error = wrap.querySelector(".error");
      const node = wrap.querySelector("[data-kind]");
      error.textContent = message || "";
      error.hidden = !message;
      wrap.classList.toggle("invalid", Boolean(message));
      if (node) node.setAttribute("aria-invalid", message ? "true" : "false");
      if (message && !first) first = node;
    }
    if (first) first.focus();
    const known = new Set([...form.querySelectorAll(".field")].map((wrap) => wrap.dataset.blockId));
    return Object.entries(errors || {}).filter(([blockId]) => !known.has(blockId)).map(([, text]) => text);
  }

  window.Forms = { renderForm, values, showErrors };
})();
