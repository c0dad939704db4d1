// 质检 rules pages: upload a pack, dry run, publish, re-inspect, draw samples, record misses.
// Every form posts JSON to /api/rules/… through `api` / `postJSON` of pages.js (which sends the
// session's CSRF token); the server validates and audits.
"use strict";

function formBody(form) {
  const body = {};
  for (const element of form.elements) {
    if (!element.name || element.type === "file" || element.type === "submit") continue;
    const value = element.value.trim();
    if (value === "") continue;
    body[element.name] = element.type === "number" ? Number(value) : value;
  }
  return body;
}

function done(form, data) {
  const next = form.dataset.next;
  if (next) location.href = next.replace(/\{(\w+)\}/g, (_, key) => encodeURIComponent(data[key]));
  else location.reload();
}

async function submitRulesForm(form, makeBody) {
  const message = form.querySelector(".msg");
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  message.textContent = "处理中…";
  try {
    const data = await postJSON(form.dataset.url, await makeBody(form));
    message.textContent = "完成";
    done(form, data);
  } catch (error) {
    message.textContent = error.message;
    buttons.forEach((b) => (b.disabled = false));
  }
}

async function uploadBody(form) {
  const files = {};
  for (const file of form.elements.files.files) files[file.name] = await file.text();
  return {files, comment: form.elements.comment.value.trim()};
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.classList.contains("rules-action")) {
    event.preventDefault();
    submitRulesForm(form, async (f) => formBody(f));
  } else if (form.classList.contains("rules-upload")) {
    event.preventDefault();
    submitRulesForm(form, uploadBody);
  }
});

// Re-inspection progress: refresh every running row until nothing is pending.
async function pollRuns() {
  const bars = [...document.querySelectorAll("progress[data-run]")];
  const running = bars.filter((bar) => Number(bar.value) < Number(bar.max));
  for (const bar of running) {
    const run = await api(`/api/rules/reinspections/${bar.dataset.run}`);
    const {done, total, failed, pending} = run.progress;
    bar.max = total || 1;
    bar.value = total - pending;
    const label = document.querySelector(`.run-progress[data-run="${bar.dataset.run}"]`);
    label.textContent = `${done}/${total}` + (failed ? ` · 失败 ${failed}` : "");
  }
  if (running.length) setTimeout(pollRuns, 1000);
}
if (document.querySelector("progress[data-run]")) setTimeout(pollRuns, 500);
