// Cronstream dashboard: polls the API every 2 s and redraws. Plain DOM, text only through
// textContent, so nothing a job document contains can inject markup.
"use strict";

const REFRESH_MS = 2000;
const TOKEN_KEY = "cronstream.token";
// Lists are paged (limit, cursor, next): the page polls one page of each, never a whole list.
const PAGE = 100;
const state = { jobs: [], runs: [], libraries: [], jobsCursor: null, jobsNext: null, librariesNext: null };
let pendingTrigger = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function relative(iso) {
  if (!iso) return "—";
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const text = abs < 60 ? abs + " s" : abs < 3600 ? Math.round(abs / 60) + " min"
    : abs < 172800 ? Math.round(abs / 3600) + " h" : Math.round(abs / 86400) + " d";
  return seconds >= 0 ? "in " + text : text + " ago";
}

function when(iso) {
  return el("span", { class: "when", title: iso || "", text: relative(iso) });
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return null;
  if (seconds < 60) return seconds + " s";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
  return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(path + ": " + (body.error || response.status));
  return body;
}

async function refresh() {
  const [ready, jobs, runs, stuck, libraries] = await Promise.allSettled([
    getJson("/ready"),
    getJson("/api/v1/jobs?limit=" + PAGE + (state.jobsCursor ? "&cursor=" + encodeURIComponent(state.jobsCursor) : "")),
    getJson("/api/v1/runs?limit=50"), getJson("/api/v1/stuck?limit=50"),
    getJson("/api/v1/libraries?limit=" + PAGE),
  ]);
  const health = document.getElementById("health");
  health.className = "health " + (ready.status === "fulfilled" ? "ok" : "bad");
  health.textContent = ready.status === "fulfilled" ? "● ready · " + ready.value.state : "● not ready";
  const failures = [jobs, runs, stuck, libraries].filter(r => r.status === "rejected").map(r => r.reason.message);
  const banner = document.getElementById("banner");
  banner.hidden = failures.length === 0;
  banner.textContent = failures.length ? "Some data could not be loaded, showing the last known: " + failures.join("; ") : "";
  if (jobs.status === "fulfilled") {
    state.jobs = jobs.value.items;
    state.jobsNext = jobs.value.next;
  }
  if (runs.status === "fulfilled" && stuck.status === "fulfilled") {
    // Stuck runs always show, even when 50 newer runs push them out of the recent list.
    const recent = new Set(runs.value.items.map(r => r.runId));
    state.runs = [...runs.value.items, ...stuck.value.items.filter(r => !recent.has(r.runId))];
  }
  if (libraries.status === "fulfilled") {
    state.libraries = libraries.value.items;
    state.librariesNext = libraries.value.next;
  }
  render();
  document.getElementById("updated").textContent = new Date().toLocaleTimeString();
}

function render() {
  renderSummary();
  renderJobs();
  renderRuns();
  renderLibraries();
}

function renderSummary() {
  const stuck = state.runs.filter(r => r.stuck).length;
  // on a later page, or with more pages, the count is of this page: say so
  const morePages = state.jobsCursor || state.jobsNext;
  document.getElementById("count-jobs").textContent = state.jobs.length + (morePages ? "+" : "");
  document.getElementById("jobs-first").hidden = !state.jobsCursor;
  document.getElementById("jobs-next").hidden = !state.jobsNext;
  document.getElementById("count-running").textContent = state.runs.filter(r => r.status === "RUNNING").length;
  document.getElementById("count-stuck").textContent = stuck;
  document.querySelector(".stuck-card").classList.toggle("active", stuck > 0);
  document.getElementById("count-failed").textContent = state.runs.filter(r => r.status === "FAILED").length;
  document.getElementById("count-changes").textContent = state.libraries.reduce((sum, l) => sum + pendingOf(l), 0)
    + (state.librariesNext ? "+" : "");
}

function renderJobs() {
  const rows = state.jobs.map(job => {
    const badges = [
      job.valid ? null : el("span", { class: "badge invalid", text: "invalid" }),
      job.valid && !job.enabled ? el("span", { class: "badge disabled", text: "disabled" }) : null,
    ];
    const schedule = job.valid
      ? el("td", {}, el("div", { text: job.description || job.scheduleType }),
          el("div", { class: "sub mono", text: scheduleDetail(job) }))
      : el("td", {}, el("div", { class: "error-text", text: job.error }));
    return el("tr", { "data-job": job.jobId },
      el("td", {}, el("div", {}, el("span", { class: "job-name", text: job.name }), badges),
        el("div", { class: "sub", text: job.jobType + " · " + job.jobId })),
      schedule,
      el("td", {}, when(job.nextFireAt)),
      el("td", {}, when(job.lastFiredAt), el("div", { class: "sub", text: job.fireCount ? job.fireCount + " fires" : "" })),
      el("td", {}, el("button", {
        class: "run-now", disabled: !job.valid, title: job.valid ? "Trigger a run now" : "An invalid job cannot run",
        onclick: () => askToken(job), text: "Run now",
      })));
  });
  document.querySelector("#jobs tbody").replaceChildren(...rows);
  document.getElementById("jobs-empty").hidden = rows.length > 0;
}

function scheduleDetail(job) {
  switch (job.scheduleType) {
    case "CRON": return job.cron + (job.timeZone && job.timeZone !== "UTC" ? " · " + job.timeZone : "");
    case "INTERVAL": return "every " + job.interval;
    case "ONCE": return "once at " + job.runAt;
    default: return "manual";
  }
}

function renderRuns() {
  const jobNames = new Map(state.jobs.map(j => [j.jobId, j.name]));
  // Stuck runs first: they are what someone opening the page needs to see.
  const runs = [...state.runs].sort((a, b) => (b.stuck === true) - (a.stuck === true));
  const cards = runs.map(run => {
    const title = jobNames.get(run.jobId) || run.jobId || run.runId;
    const percent = run.percent === null || run.percent === undefined ? null : Math.round(run.percent);
    const eta = duration(run.etaSeconds);
    const meta = [run.trigger, run.triggeredBy && run.trigger === "MANUAL" ? "by " + run.triggeredBy : null,
      run.completedAt ? "finished " + relative(run.completedAt) : "started " + relative(run.startedAt || run.createdAt),
      eta && !run.completedAt && !run.stuck ? "ETA " + eta : null, run.status === "FAILED" ? run.message : null]
      .filter(Boolean).join(" · ");
    const stages = Object.entries(run.stages || {}).map(([name, stage]) => stageRow(name, stage));
    return el("div", { class: "run " + run.status + (run.stuck ? " stuck" : ""), "data-run": run.runId },
      el("div", { class: "run-head" },
        el("span", { class: "title", title: run.runId, text: title }),
        el("span", { class: "badge " + run.status, text: run.status }),
        run.stuck ? el("span", { class: "badge stuck", text: "STUCK" }) : null,
        el("span", { class: "pct", text: percent === null ? "" : percent + "%" })),
      el("div", { class: "run-meta", text: meta }),
      run.stuck ? el("div", { class: "stuck-note", text: "No progress since " + relative(run.lastActivityAt)
        + " (stuck after " + (run.stuckAfter || "?") + ")" }) : null,
      stages);
  });
  document.getElementById("runs").replaceChildren(...cards);
  document.getElementById("runs-empty").hidden = cards.length > 0;
}

function stageRow(name, stage) {
  const total = stage.total;
  const done = stage.completed + stage.failed;
  const pct = total ? Math.min(100, (100 * done) / total) : (stage.status === "COMPLETED" ? 100 : 0);
  const failPct = total ? Math.min(100, (100 * stage.failed) / total) : 0;
  const count = (total === null || total === undefined ? done + " / ?" : done + " / " + total)
    + (stage.failed ? " (" + stage.failed + " failed)" : "");
  return el("div", { class: "stage " + stage.status, "data-stage": name },
    el("span", { class: "name", title: stage.message || name, text: name }),
    el("div", { class: "bar", role: "progressbar", "aria-valuenow": Math.round(pct), "aria-valuemin": 0, "aria-valuemax": 100 },
      el("div", { class: "done", style: "width:" + pct.toFixed(1) + "%" }),
      failPct > 0 ? el("div", { class: "fail", style: "left:" + (pct - failPct).toFixed(1) + "%;width:" + failPct.toFixed(1) + "%" }) : null),
    el("span", { class: "count", text: count }));
}

/** Paths with a pending change; changeCount counts events, several of which may coalesce into one path. */
function pendingOf(lib) {
  return (lib.added || 0) + (lib.modified || 0) + (lib.deleted || 0);
}

function renderLibraries() {
  const rows = state.libraries.map(lib => el("tr", { "data-library": lib.libraryId },
    el("td", { class: "mono", text: lib.libraryId }),
    el("td", { class: "n", text: lib.added }),
    el("td", { class: "n", text: lib.modified }),
    el("td", { class: "n", text: lib.deleted }),
    el("td", { class: "n", text: pendingOf(lib), title: lib.changeCount + " change events received" }),
    el("td", {}, when(lib.lastChangeAt))));
  document.querySelector("#libraries tbody").replaceChildren(...rows);
  document.getElementById("libraries-empty").hidden = rows.length > 0;
}

function askToken(job) {
  pendingTrigger = job;
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    trigger(job, token);
    return;
  }
  document.getElementById("token-job").textContent = job.name;
  document.getElementById("token-input").value = "";
  document.getElementById("token-dialog").showModal();
}

async function trigger(job, token) {
  let response;
  try {
    response = await fetch("/api/v1/jobs/" + encodeURIComponent(job.jobId) + "/trigger", {
      method: "POST",
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: JSON.stringify({ triggeredBy: "dashboard" }),
    });
  } catch (e) {
    toast("Trigger failed: " + e.message, "bad");
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 202) {
    sessionStorage.setItem(TOKEN_KEY, token);
    toast("Trigger accepted: " + job.name + " (run " + body.runId + ")", "ok");
    refresh();
  } else if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    toast("Wrong token: " + (body.error || "unauthorized"), "bad");
  } else if (response.status === 429) {
    toast("Not triggered: " + body.error + " (retry in " + (response.headers.get("Retry-After") || "?") + " s)", "bad");
  } else {
    toast("Not triggered: " + (body.error || response.status), "bad");
  }
}

function toast(text, kind) {
  const node = el("div", { class: "toast " + (kind || ""), text });
  document.getElementById("toasts").append(node);
  setTimeout(() => node.remove(), 6000);
}

document.getElementById("token-form").addEventListener("submit", () => {
  const token = document.getElementById("token-input").value.trim();
  if (token && pendingTrigger) trigger(pendingTrigger, token);
});
document.getElementById("jobs-next").addEventListener("click", () => { state.jobsCursor = state.jobsNext; refresh(); });
document.getElementById("jobs-first").addEventListener("click", () => { state.jobsCursor = null; refresh(); });
document.getElementById("token-cancel").addEventListener("click", () => document.getElementById("token-dialog").close());

refresh();
setInterval(refresh, REFRESH_MS);
