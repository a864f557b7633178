// Template preview: load a stage template, edit it, see it rendered for a sample incident with its
// checks, and download the text as an override file (the policy's messages.templates_dir).
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let file = "";

  async function load() {
    const query = new URLSearchParams({ stage: $("preview-stage").value, audience: $("preview-audience").value });
    const response = await fetch("/api/template?" + query);
    const answer = await response.json();
    $("preview-source").value = answer.source || "";
    await render();
  }

  async function render() {
    const body = {
      stage: $("preview-stage").value,
      audience: $("preview-audience").value,
      source: $("preview-source").value,
    };
    const response = await fetch("/api/preview", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({ error: "The sandbox answered " + response.status }));
    file = answer.file || file;
    const error = $("preview-error");
    error.textContent = answer.error || "";
    error.hidden = !answer.error;
    const ctx = { users: {}, names: {} };
    $("preview-text").replaceChildren(answer.error ? "" : window.Mrkdwn.render(answer.text, ctx));
    $("preview-checks").replaceChildren(answer.error ? "" : window.Mrkdwn.render(answer.checks, ctx));
    const download = $("preview-download");
    const blob = new Blob([body.source], { type: "text/plain" });
    if (download.href) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(blob);
    download.download = (file || "template.md.j2").split("/").pop();
    download.title = "Save as " + (file || "the template") + " in your messages.templates_dir";
  }

  $("preview-stage").addEventListener("change", load);
  $("preview-audience").addEventListener("change", load);
  $("preview-form").addEventListener("submit", (event) => {
    event.preventDefault();
    render();
  });

  window.Preview = { show: () => ($("preview-source").value ? render() : load()) };
})();
