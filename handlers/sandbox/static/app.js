// The sandbox page: who you are, where you look, and every action sent to the sandbox server,
// which sends it on to the app as Slack would (signed HTTP through the driver).
"use strict";
(function () {
  const { el } = window.Mrkdwn;
  const $ = (id) => document.getElementById(id);
  const page = {
    user: document.body.dataset.firstUser,
    channel: document.body.dataset.general,
    home: false,
    preview: false,
    seen: {},  // messages seen per person and channel, for the unread marks
    version: "",
    modalKey: "",
    state: null,
  };

  function toast(message) {
    const box = $("toast");
    box.textContent = message;
    box.hidden = !message;
    clearTimeout(toast.timer);
    if (message) toast.timer = setTimeout(() => (box.hidden = true), 6000);
  }

  async function post(path, body) {
    const response = await fetch("/api/" + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: page.user, ...body }),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) toast(answer.error || "The sandbox answered " + response.status);
    await refresh(true);
    return response.ok;
  }

  async function refresh(full) {
    const query = new URLSearchParams({ user: page.user, channel: page.channel, since: page.version });
    if (full) query.set("full", "1");
    const response = await fetch("/api/state?" + query);
    if (!response.ok) return;
    const state = await response.json();
    if (state.unchanged) return;
    const moved = state.user !== page.user || (state.channel && state.channel.id !== page.channel);
    if (moved) return;  // an answer about where the person was before they switched
    page.version = state.version;
    page.state = state;
    draw(state);
  }

  function context(state) {
    const people = {};
    for (const option of $("person").options) people[option.value] = state.users[option.value];
    return { users: state.users, names: state.names, people };
  }

  function roomButton(channel) {
    const item = el("li");
    const prefix = channel.dm ? "● " : channel.private ? "🔒 " : channel.shared ? "⇄ " : "# ";
    const button = item.appendChild(el("button", "room", prefix + channel.name));
    button.type = "button";
    button.dataset.channel = channel.id;
    button.title = channel.name;
    if (channel.archived) button.classList.add("archived");
    const key = page.user + "/" + channel.id;
    const open = !page.home && !page.preview && channel.id === page.channel;
    if (open) page.seen[key] = channel.count;
    if (open) button.setAttribute("aria-current", "page");
    else if (channel.count > (page.seen[key] || 0)) {
      button.classList.add("unread");
      button.append(el("span", "visually-hidden", " (new messages)"));
    }
    button.addEventListener("click", () => look(channel.id));
    return item;
  }

  function current(button, on) {
    if (on) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }

  function draw(state) {
    $("clock").textContent = state.clock.slice(11, 16);
    $("clock").dateTime = state.clock;
    $("clock").title = state.clock.slice(0, 10);
    $("channels").replaceChildren(...state.channels.filter((c) => !c.dm).map(roomButton));
    $("dms").replaceChildren(...state.channels.filter((c) => c.dm).map(roomButton));
    current($("home-tab"), page.home);
    current($("preview-tab"), page.preview);
    $("preview").hidden = !page.preview;
    $("messages").hidden = page.preview;
    if (page.preview) drawPreview();
    else if (page.home) drawHome(state);
    else drawChannel(state);
    drawModal(state);
  }

  function use(source, extra) {
    return (at) => post("use", { source, channel: page.channel, ...extra, ...at });
  }

  function drawChannel(state) {
    const channel = state.channel;
    if (!channel) {
      const first = state.channels[0];
      if (first && first.id !== page.channel) return look(first.id);
      $("messages").replaceChildren(el("p", "empty", "No channel to show."));
      return;
    }
    $("title").textContent = (channel.dm ? "" : "#") + channel.name;
    $("topic").textContent = channel.topic || "";
    $("say").placeholder = "Message " + (channel.dm ? "" : "#") + channel.name + " — try /incident help";
    $("composer").hidden = false;
    const box = $("messages");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    const focused = document.activeElement && document.activeElement.dataset.key;
    box.replaceChildren(...state.messages.map((m) => message(m, context(state))));
    const again = focused && box.querySelector(`[data-key="${CSS.escape(focused)}"]`);
    if (again) again.focus();
    if (atBottom || !box.dataset.seen) box.scrollTop = box.scrollHeight;
    box.dataset.seen = "1";
  }

  function message(item, ctx) {
    const node = el("article", "message" + (item.kind === "ephemeral" ? " ephemeral" : "") + (item.thread_ts ? " reply" : ""));
    const head = node.appendChild(el("div", "message-head"));
    head.append(el("strong", "author", item.author), item.bot ? el("span", "badge", "APP") : "");
    const when = new Date(Number(item.ts) * 1000);
    head.append(el("time", "when", when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
    if (item.edited) head.append(el("span", "edited", "(edited)"));
    if (item.pinned) head.append(el("span", "pinned", "📌 pinned"));
    if (item.kind === "ephemeral") head.append(el("span", "only-you", "Only visible to you"));
    const source = item.kind === "ephemeral" ? use("ephemeral", { id: item.id }) : use("message", { ts: item.ts });
    const keyed = { ...ctx, key: item.kind + ":" + (item.kind === "ephemeral" ? item.id : item.ts) };
    if (item.blocks.length) node.append(window.Blocks.renderBlocks(item.blocks, keyed, source));
    else node.append(window.Mrkdwn.render(item.text, ctx));
    for (const file of item.files || []) {
      const link = node.appendChild(el("a", "file", "📎 " + file.name + " (" + file.size + " bytes)"));
      link.href = "/api/file/" + encodeURIComponent(file.id);
      link.download = file.name;
    }
    return node;
  }

  function drawPreview() {
    $("title").textContent = "Template preview";
    $("topic").textContent = "Edit a stage template and see the message and its checks; nothing is saved";
    $("composer").hidden = true;
  }

  function drawHome(state) {
    $("title").textContent = "incident-comms · Home";
    $("topic").textContent = "The App Home tab, as the app published it for you";
    $("composer").hidden = true;
    const box = $("messages");
    const home = state.home;
    box.replaceChildren(
      home ? window.Blocks.renderBlocks(home.blocks, context(state), use("home", {})) : el("p", "empty", "Opening…"),
    );
  }

  function drawModal(state) {
    const dialog = $("modal");
    const modal = state.modal;
    if (!modal) {
      page.modalKey = "";
      if (dialog.open) dialog.close();
      return;
    }
    const view = modal.view;
    const key = (view.id || "") + (view.hash || "") + JSON.stringify(view.blocks).length;
    if (key !== page.modalKey) {
      page.modalKey = key;
      $("modal-title").textContent = window.Blocks.plain(view.title) || "Form";
      $("modal-close").textContent = window.Blocks.plain(view.close) || "Cancel";
      $("modal-submit").textContent = window.Blocks.plain(view.submit) || "Submit";
      $("modal-submit").hidden = !view.submit;
      $("modal-body").replaceChildren(window.Forms.renderForm(view, context(state), use("modal", {})));
      if (!dialog.open) dialog.showModal();
      const first = $("modal-body").querySelector("input, textarea, select");
      if (first) first.focus();
    }
    const elsewhere = window.Forms.showErrors($("modal-body"), modal.errors);
    if (elsewhere.length) toast(elsewhere.join(" "));
  }

  function look(channel) {
    page.home = page.preview = false;
    page.channel = channel;
    $("messages").dataset.seen = "";
    refresh(true);
  }

  $("person").addEventListener("change", (event) => {
    page.user = event.target.value;
    page.modalKey = "";
    look(document.body.dataset.general);
  });
  $("preview-tab").addEventListener("click", () => {
    page.preview = true;
    page.home = false;
    refresh(true);
    window.Preview.show();
  });
  $("home-tab").addEventListener("click", () => {
    page.home = true;
    page.preview = false;
    post("home", {});
  });
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("say");
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    await post("type", { channel: page.channel, text });
  });
  $("modal-form").addEventListener("submit", (event) => {
    event.preventDefault();
    post("submit", { values: window.Forms.values($("modal-body")) });
  });
  $("modal-close").addEventListener("click", () => post("close", {}));
  $("modal").addEventListener("cancel", (event) => {
    event.preventDefault();
    post("close", {});
  });
  $("plus10").addEventListener("click", () => post("clock", { minutes: 10 }));
  $("plus60").addEventListener("click", () => post("clock", { minutes: 60 }));
  $("play").addEventListener("click", async () => {
    const response = await fetch("/api/play", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    const answer = await response.json().catch(() => ({}));
    toast(response.ok ? "Playing a SEV1: watch #general, the incident channel and #status-updates" : answer.error);
  });
  $("reset").addEventListener("click", async () => {
    await fetch("/api/reset", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    page.version = "";
    look(document.body.dataset.general);
  });
  for (const link of document.querySelectorAll("a.fresh")) {
    // the status page may be cached for 15 s, as customers' browsers do; here you want it now
    const base = link.href;
    const fresh = () => (link.href = base + "?seen=" + Date.now());
    link.addEventListener("mousedown", fresh);
    link.addEventListener("keydown", fresh);
    link.addEventListener("click", fresh);
  }
  document.addEventListener("sandbox:open-channel", (event) => look(event.detail));
  setInterval(() => refresh(false), 500);
  refresh(true);
})();
