// 质检 pages: seek the recording, review/appeal via the JSON API, upload with job progress.
"use strict";

// Status labels come from the server (api/http/pages/rendering.py STATUS_LABELS), on <body>.
const STATUS = JSON.parse(document.body.dataset.statusLabels || "{}");

// The session's CSRF token (api/http/auth.py): every state-changing call sends it as a header.
const CSRF = document.querySelector('meta[name="csrf-token"]')?.content || "";

async function api(url, options = {}) {
  const method = (options.method || "GET").toUpperCase();
  const headers = {...(options.headers || {}), ...(method === "GET" ? {} : {"X-CSRF-Token": CSRF})};
  const response = await fetch(url, {credentials: "same-origin", ...options, headers});
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.detail || `请求失败（${response.status}）`);
  return data;
}

const postJSON = (url, body) =>
  api(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});

function seek(target) {
  const player = document.getElementById("player");
  if (player && target.dataset.seek !== undefined) {
    player.currentTime = parseFloat(target.dataset.seek);
    player.play().catch(() => {});
  }
  const turn = document.getElementById(`u-${target.dataset.utt}`);
  if (turn) {
    turn.scrollIntoView({behavior: "smooth", block: "center"});
    turn.classList.add("flash");
    setTimeout(() => turn.classList.remove("flash"), 1200);
  }
  const card = target.dataset.finding && document.getElementById(`f-${target.dataset.finding}`);
  if (card) card.scrollIntoView({behavior: "smooth", block: "nearest"});
}

// Sizes the server computes, applied here: the Content-Security-Policy allows no inline styles.
document.querySelectorAll("[data-width]").forEach((bar) => { bar.style.width = `${bar.dataset.width}%`; });
document.querySelectorAll("[data-heat]").forEach((cell) => cell.style.setProperty("--heat", cell.dataset.heat));

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-seek]");
  if (target) seek(target);
});

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.classList.contains("action")) return;
  event.preventDefault();
  const message = form.querySelector(".msg");
  const field = form.dataset.field;
  const body = field
    ? {[field]: form.elements[field].value.trim()}
    : {decision: event.submitter.value, comment: form.elements.comment.value.trim()};
  form.querySelectorAll("button").forEach((b) => (b.disabled = true));
  try {
    await postJSON(form.dataset.url, body);
    message.textContent = "已提交";
    location.reload();
  } catch (error) {
    message.textContent = error.message;
    form.querySelectorAll("button").forEach((b) => (b.disabled = false));
  }
});

// ---- upload page ----
const AUDIO = /\.(wav|mp3|m4a|flac|ogg|webm)$/i;

function conversationsOf(name, text) {
  if (/\.jsonl$/i.test(name)) return text.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l));
  const data = JSON.parse(text);
  return Array.isArray(data) ? data : [data];
}

async function submitFile(file, form) {
  if (AUDIO.test(file.name)) {
    const fields = Object.fromEntries(["id", "agent_id", "direction", "industry"]
      .map((k) => [k, form.elements[k].value.trim()]).filter(([, v]) => v));
    if (form.elements.team.value.trim()) fields.metadata = {team: form.elements.team.value.trim()};
    const data = new FormData();
    data.append("file", file);
    data.append("metadata", JSON.stringify(fields));
    return [await api("/api/conversations", {method: "POST", body: data})];
  }
  const text = await file.text();
  const items = /\.csv$/i.test(file.name)
    ? await api(`/pages/api/chat-csv?filename=${encodeURIComponent(file.name)}`,
      {method: "POST", headers: {"Content-Type": "text/csv"}, body: text})
    : conversationsOf(file.name, text);
  const accepted = [];
  for (const item of items) accepted.push(await postJSON("/api/conversations", item));
  return accepted;
}

function progressLine(list, id) {
  const item = document.createElement("li");
  item.dataset.id = id;
  const link = document.createElement("a");
  link.href = `/conversations/${encodeURIComponent(id)}`;
  link.textContent = id;
  item.append(link, " ", Object.assign(document.createElement("span"), {className: "status"}));
  list.append(item);
  return item.querySelector(".status");
}

async function waitDone(id, label) {
  for (;;) {
    const record = await api(`/api/conversations/${encodeURIComponent(id)}`);
    const score = record.score === null || record.score === undefined ? "" : ` · 得分 ${record.score}`;
    label.textContent = (STATUS[record.status] || record.status) + (record.status === "done" ? score : "");
    label.className = `status status-${record.status}`;
    if (record.status === "done" || record.status === "failed") return record;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const uploadForm = document.getElementById("upload-form");
if (uploadForm) {
  const list = document.getElementById("progress");
  const drop = document.getElementById("drop");
  const input = document.getElementById("file");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    input.files = e.dataTransfer.files;
  });
  uploadForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    list.replaceChildren();
    const file = input.files[0];
    if (!file) { list.append(Object.assign(document.createElement("li"), {textContent: "请选择文件"})); return; }
    try {
      const accepted = await submitFile(file, uploadForm);
      const labels = accepted.map((a) => progressLine(list, a.id));
      const records = await Promise.all(accepted.map((a, i) => waitDone(a.id, labels[i])));
      if (records.length === 1) location.href = `/conversations/${encodeURIComponent(records[0].id)}`;
    } catch (error) {
      list.append(Object.assign(document.createElement("li"), {className: "error", textContent: error.message}));
    }
  });
}
