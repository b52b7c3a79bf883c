// Cronstream dashboard: polls the API every 2 s and redraws. Plain DOM, text only through
// textContent, so nothing a job document contains can inject markup.
"use strict";

const REFRESH_MS = 2000;
const TOKEN_KEY = "cronstream.token";
// Lists are paged (limit, cursor, next): the page polls one page of each, never a whole list.
const PAGE = 100;
const state = { jobs: [], runs: [], libraries: [], jobsCursor: null, jobsNext: null, librariesNext: null,
  alerts: [], alertsShown: false };
const ALERTS = 20;
/** Results the reader opened stay open across the 2 s redraw. */
const openResults = new Set();
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
  if (abs < 2) return "now"; // the server's clock and this browser's differ by a little
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

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Headers for any API call: the session's token when there is one (production reads need it). */
function headers(extra) {
  const all = Object.assign({ Accept: "application/json" }, extra || {});
  if (token()) all.Authorization = "Bearer " + token();
  return all;
}

/** 401/403 say what to do about them; anything else says what the server said. */
function explain(status, body) {
  const said = body.error || ("HTTP " + status);
  if (status === 401) return "Not signed in (" + said + "): enter an API token in the top bar";
  if (status === 403) return "Not allowed (" + said + "): this needs a token with a higher role";
  if (status === 412) return "This job changed meanwhile, reload it and make the change again (" + said + ")";
  return said;
}

async function getJson(path) {
  const response = await fetch(path, { headers: headers() });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(path + ": " + explain(response.status, body));
    error.status = response.status;
    throw error;
  }
  return body;
}

async function refresh() {
  const [ready, jobs, runs, stuck, libraries, alerts, live] = await Promise.allSettled([
    getJson("/ready"),
    getJson("/api/v1/jobs?limit=" + PAGE + (state.jobsCursor ? "&cursor=" + encodeURIComponent(state.jobsCursor) : "")),
    getJson("/api/v1/runs?limit=50"), getJson("/api/v1/stuck?limit=50"),
    getJson("/api/v1/libraries?limit=" + PAGE),
    getJson("/api/v1/alerts?limit=" + ALERTS),
    getJson("/health"),
  ]);
  renderPipeline(live.status === "fulfilled" ? live.value.pipeline : null);
  // An instance without the alerts route (404) just has no feed: no banner for it.
  if (alerts.status === "fulfilled") {
    state.alerts = Array.isArray(alerts.value.items) ? alerts.value.items : [];
    state.alertsShown = true;
  } else if (alerts.reason.status === 404) {
    state.alertsShown = false;
  }
  const health = document.getElementById("health");
  health.className = "health " + (ready.status === "fulfilled" ? "ok" : "bad");
  health.textContent = ready.status === "fulfilled" ? "● ready · " + ready.value.state : "● not ready";
  const rejected = [jobs, runs, stuck, libraries].filter(r => r.status === "rejected").map(r => r.reason);
  const banner = document.getElementById("banner");
  banner.hidden = rejected.length === 0;
  // A missing or wrong token fails every list the same way: one clear line instead of four.
  const auth = rejected.find(e => e.status === 401 || e.status === 403);
  banner.classList.toggle("auth", !!auth);
  banner.textContent = auth
    ? (auth.status === 401 ? "This server needs an API token to show jobs and runs: enter one in the top bar."
      : "Your token may not read here: " + auth.message)
    : rejected.length ? "Some data could not be loaded, showing the last known: " + rejected.map(e => e.message).join("; ") : "";
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
  if (auth) {
    // Nothing was read: "No jobs yet." would be wrong.
    for (const id of ["jobs-empty", "runs-empty", "libraries-empty"]) document.getElementById(id).hidden = true;
  }
  document.getElementById("updated").textContent = new Date().toLocaleTimeString();
  if (detail.jobId && document.getElementById("detail-dialog").open) loadDetail();
}

/**
 * Change capture down (the connector or its task not running, as /health reports it): the lists below still answer,
 * but what changes in MongoDB does not reach the scheduler until it runs again. Nothing shows while it runs, or when
 * this instance does not watch a connector.
 */
function renderPipeline(pipeline) {
  const banner = document.getElementById("pipeline-banner");
  const down = !!pipeline && !!pipeline.connector && pipeline.task !== "RUNNING";
  banner.hidden = !down;
  if (!down) return;
  const since = pipeline.lastChangeAgeSeconds == null ? "" : " The last change arrived "
    + relative(new Date(Date.now() - pipeline.lastChangeAgeSeconds * 1000).toISOString()) + ".";
  banner.textContent = pipeline.task === "UNKNOWN"
    ? "Change capture: Kafka Connect does not report connector " + pipeline.connector + ". Job changes made in "
      + "MongoDB may not reach the scheduler." + since
    : "Change capture is down: connector " + pipeline.connector + " is " + pipeline.task + (pipeline.task === "FAILED"
      ? ", Cronstream restarts it automatically" : "") + ". Job changes made in MongoDB reach the scheduler once it "
      + "runs again (at the latest with the next reconciliation); everything shown here keeps working." + since;
}

function render() {
  renderSummary();
  renderJobs();
  renderRuns();
  renderLibraries();
  renderAlerts();
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
      job.paused ? el("span", { class: "badge paused", title: pauseText(job), text: "paused" }) : null,
    ];
    const schedule = job.valid
      ? el("td", {}, el("div", { text: job.description || job.scheduleType }),
          el("div", { class: "sub mono", text: scheduleDetail(job) }))
      : el("td", {}, el("div", { class: "error-text", text: job.error }));
    return el("tr", { "data-job": job.jobId, "data-version": versionOf(job) },
      el("td", {}, el("div", {}, el("button", { type: "button", class: "link job-name", title: "Details, history and changes",
        onclick: () => openDetail(job.jobId), text: job.name }), badges),
        el("div", { class: "sub", text: job.jobType + " · " + job.jobId }),
        policyLine(job)),
      schedule,
      el("td", {}, when(job.nextFireAt)),
      el("td", {}, when(job.lastFiredAt), el("div", { class: "sub", text: job.fireCount ? job.fireCount + " fires" : "" })),
      el("td", {}, toggle(job)),
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
      eta && !run.completedAt && !run.stuck ? "ETA " + eta : null,
      run.status === "FAILED" && !run.error ? run.message : null]
      .filter(Boolean).join(" · ");
    const stages = Object.entries(run.stages || {}).map(([name, stage]) => stageRow(name, stage));
    return el("div", { class: "run " + run.status + (run.stuck ? " stuck" : ""), "data-run": run.runId },
      el("div", { class: "run-head" },
        el("span", { class: "title", title: run.runId, text: title }),
        el("span", { class: "badge " + run.status, text: run.status }),
        run.stuck ? el("span", { class: "badge stuck", text: "STUCK" }) : null,
        failureBadges(run),
        el("span", { class: "pct", text: percent === null ? "" : percent + "%" })),
      el("div", { class: "run-meta", text: meta }),
      run.stuck ? el("div", { class: "stuck-note", text: "No progress since " + relative(run.lastActivityAt)
        + " (stuck after " + (run.stuckAfter || "?") + ")" }) : null,
      run.missedAt ? el("div", { class: "missed-note", text: "No worker picked it up within its start deadline"
        + (run.startDeadline ? " (" + run.startDeadline + ")" : "") + ": missed start " + relative(run.missedAt) }) : null,
      run.error ? el("div", { class: "run-error error-text", text: run.error }) : null,
      resultView(run),
      stages);
  });
  document.getElementById("runs").replaceChildren(...cards);
  document.getElementById("runs-empty").hidden = cards.length > 0;
}

/** Attempt, why Cronstream failed the run, and a missed start: badges on the run's head line. */
function failureBadges(run) {
  const badges = [];
  const attempt = attemptText(run);
  if (attempt) {
    badges.push(el("span", { class: "badge attempt", title: run.retryOf ? "retry of " + run.retryOf : "", text: attempt }));
  }
  if (run.failureReason) {
    badges.push(el("span", { class: "badge failure-reason " + run.failureReason,
      title: run.failureReason === "TIMED_OUT" ? "ran longer than its runTimeout" + (run.runTimeout ? " (" + run.runTimeout + ")" : "")
        : "failed by Cronstream after a long stall",
      text: run.failureReason.replace("_", " ") }));
  }
  if (run.missedAt) {
    badges.push(el("span", { class: "badge missed", title: "missed start at " + run.missedAt, text: "MISSED START" }));
  }
  return badges;
}

/** "attempt 2/3" when the job's retry policy is known, "attempt 2" otherwise; nothing for a first try without retries. */
function attemptText(run) {
  const attempt = run.attempt || 1;
  const job = state.jobs.find(j => j.jobId === run.jobId);
  const max = job && job.retry && job.retry.maxAttempts > 1 ? job.retry.maxAttempts : null;
  if (attempt <= 1 && !max) return null;
  return "attempt " + attempt + (max ? "/" + max : "");
}

/** The worker's result object, collapsed; text only, so no key or value can become markup. */
function resultView(run) {
  if (run.result === null || run.result === undefined) return null;
  const details = el("details", { class: "run-result", open: openResults.has(run.runId),
    ontoggle: event => { if (event.target.open) openResults.add(run.runId); else openResults.delete(run.runId); } },
    el("summary", { text: "result " + resultSummary(run.result) }),
    el("pre", { class: "mono", text: JSON.stringify(run.result, null, 2) }));
  return details;
}

function resultSummary(result) {
  if (typeof result !== "object" || result === null) return String(result);
  if (result.truncated) return "(truncated, " + result.bytes + " bytes)";
  const keys = Object.keys(result);
  const text = keys.slice(0, 3).map(k => k + ": " + (typeof result[k] === "object" ? "…" : result[k])).join(", ");
  return "{" + text + (keys.length > 3 ? ", …" : "") + "}";
}

/** A job's failure handling in one line (only what is set): retry, timeout, start deadline, pause, chaining, webhooks. */
function policyParts(job) {
  const parts = [];
  const retry = job.retry;
  if (retry && retry.maxAttempts > 1) {
    parts.push("retry " + retry.maxAttempts + " attempts" + (retry.initialInterval ? " from " + retry.initialInterval : "")
      + (retry.backoffCoefficient ? " ×" + retry.backoffCoefficient : "") + (retry.maxInterval ? " ≤ " + retry.maxInterval : ""));
  }
  if (job.runTimeout) parts.push("timeout " + job.runTimeout);
  if (job.startDeadline) parts.push("start deadline " + job.startDeadline);
  if (job.pauseOnFailure) parts.push("pause after " + job.pauseOnFailure + " failures");
  if (Array.isArray(job.after) && job.after.length) {
    parts.push("after " + job.after.map(up => up.jobId + (up.on && up.on !== "COMPLETED" ? " (" + up.on.toLowerCase() + ")" : "")).join(", "));
  }
  const notify = job.notify;
  if (notify && Array.isArray(notify.webhooks) && notify.webhooks.length) {
    parts.push("notify " + notify.webhooks.length + " webhook" + (notify.webhooks.length > 1 ? "s" : "")
      + (Array.isArray(notify.on) && notify.on.length ? " on " + notify.on.join(", ") : ""));
  }
  return parts;
}

function policyLine(job) {
  const parts = policyParts(job);
  return parts.length ? el("div", { class: "sub policy", text: parts.join(" · ") }) : null;
}

function renderAlerts() {
  const panel = document.getElementById("alerts-panel");
  panel.hidden = !state.alertsShown;
  if (!state.alertsShown) return;
  const jobNames = new Map(state.jobs.map(j => [j.jobId, j.name]));
  const items = state.alerts.map(alert => el("li", { class: "alert " + (alert.kind || ""), "data-kind": alert.kind,
    "data-run": alert.runId },
    el("div", { class: "alert-head" },
      el("span", { class: "badge alert-kind " + (alert.kind || ""), text: (alert.kind || "?").replace("_", " ") }),
      el("span", { class: "alert-job", title: alert.jobId, text: jobNames.get(alert.jobId) || alert.jobId }),
      alert.attempt ? el("span", { class: "sub", text: "attempt " + alert.attempt }) : null,
      when(alert.at)),
    el("div", { class: "alert-message", text: alert.message || "" }),
    alert.runId ? el("div", { class: "sub mono", text: alert.runId }) : null));
  document.getElementById("alerts").replaceChildren(...items);
  document.getElementById("alerts-empty").hidden = items.length > 0;
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
    showTokenState();
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

// ---- Control plane (DESIGN §11): every write sends If-Match with the version the page showed. ----

const PREVIEW_DELAY_MS = 250;
/** Versions this page wrote itself, newer than the list until the connector carries the write to the ticker. */
const written = new Map();
const detail = { jobId: null, shown: null };
const editor = { job: null, oldCron: "", oldZone: "", seq: 0, timer: null, valid: false };

function versionOf(job) {
  const mine = written.get(job.jobId);
  if (job.version === null || job.version === undefined) return mine === undefined ? null : mine;
  return mine === undefined ? job.version : Math.max(job.version, mine);
}

/** A write: JSON in and out, the token, and If-Match when the job had a version. Resolves to {ok, status, body, message}. */
async function send(method, path, body, version) {
  const extra = { "Content-Type": "application/json" };
  if (version !== null && version !== undefined) extra["If-Match"] = '"' + version + '"';
  let response;
  try {
    response = await fetch(path, { method, headers: headers(extra), body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, body: {}, message: "The server did not answer: " + e.message };
  }
  const answer = await response.json().catch(() => ({}));
  if (response.ok && answer.jobId && answer.version) written.set(answer.jobId, answer.version);
  if (response.status === 412) refresh();
  return { ok: response.ok, status: response.status, body: answer, message: response.ok ? null : explain(response.status, answer) };
}

function jobPath(jobId, tail) {
  return "/api/v1/jobs/" + encodeURIComponent(jobId) + (tail || "");
}

function showError(id, message) {
  const node = document.getElementById(id);
  node.hidden = !message;
  node.textContent = message || "";
}

function pauseText(job) {
  return "Paused" + (job.pausedBy ? " by " + job.pausedBy : "") + (job.pauseNote ? ": " + job.pauseNote : "")
    + (job.pausedUntil ? " (until " + new Date(job.pausedUntil).toLocaleString() + ")" : " (until resumed)");
}

function toggle(job) {
  return el("button", {
    type: "button", class: "toggle", role: "switch", "aria-checked": job.enabled ? "true" : "false",
    "aria-label": (job.enabled ? "Disable " : "Enable ") + job.name, disabled: !job.valid,
    title: job.valid ? (job.enabled ? "Enabled: click to disable" : "Disabled: click to enable") : "Fix the job's definition first",
    onclick: () => askToggle(job),
  }, el("span", { class: "knob" }));
}

/** Opens the confirmation dialog; {@code action} resolves to the write's answer, which closes it when ok. */
function confirmThen(title, text, okLabel, action) {
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  showError("confirm-error", null);
  const ok = document.getElementById("confirm-ok");
  ok.textContent = okLabel;
  ok.disabled = false;
  ok.onclick = async () => {
    ok.disabled = true;
    const result = await action();
    ok.disabled = false;
    if (result.ok) document.getElementById("confirm-dialog").close();
    else showError("confirm-error", result.message);
  };
  document.getElementById("confirm-dialog").showModal();
}

function askToggle(job) {
  const enable = !job.enabled;
  const version = versionOf(job);
  confirmThen((enable ? "Enable " : "Disable ") + job.name + "?",
    enable ? "It fires on its schedule again (" + scheduleDetail(job) + ")."
      : "It stops firing on its schedule until someone enables it again. Runs already going carry on.",
    enable ? "Enable" : "Disable",
    () => afterWrite(send("POST", jobPath(job.jobId, enable ? "/enable" : "/disable"), undefined, version),
      job.name + (enable ? " enabled" : " disabled")));
}

async function afterWrite(pending, done) {
  const result = await pending;
  if (result.ok) {
    toast(done + " (version " + result.body.version + "); the scheduler applies it in a moment", "ok");
    refresh();
  }
  return result;
}

// -- job detail --

function openDetail(jobId) {
  detail.jobId = jobId;
  detail.shown = null;
  document.getElementById("detail-title").textContent = jobId;
  document.getElementById("detail-body").replaceChildren(el("p", { class: "empty", text: "Loading…" }));
  document.getElementById("detail-actions").replaceChildren();
  showError("detail-error", null);
  document.getElementById("detail-dialog").showModal();
  loadDetail();
}

async function loadDetail() {
  const jobId = detail.jobId;
  const [job, history, changes, next] = await Promise.allSettled([
    getJson(jobPath(jobId)), getJson(jobPath(jobId, "/runs")), getJson(jobPath(jobId, "/changes?limit=50")),
    getJson(jobPath(jobId, "/next?count=5")),
  ]);
  if (jobId !== detail.jobId) return;
  if (job.status === "rejected") {
    showError("detail-error", job.reason.message);
    return;
  }
  showError("detail-error", null);
  const data = { job: job.value, history: history.status === "fulfilled" ? history.value : null,
    historyError: history.status === "rejected" ? history.reason.message : null,
    changes: changes.status === "fulfilled" ? changes.value.items : null,
    changesError: changes.status === "rejected" ? changes.reason.message : null,
    next: next.status === "fulfilled" ? next.value.next : [] };
  // Redrawn only when something changed, so a button is not swapped under the pointer every poll.
  const key = JSON.stringify(data) + versionOf(data.job);
  if (key === detail.shown) return;
  detail.shown = key;
  renderDetail(data);
}

function renderDetail({ job, history, historyError, changes, changesError, next }) {
  document.getElementById("detail-title").textContent = job.name;
  document.getElementById("detail-sub").textContent = job.jobType + " · " + job.jobId
    + (versionOf(job) ? " · version " + versionOf(job) : "") + (job.updatedBy ? " · last changed by " + job.updatedBy : "");
  const actions = [
    el("span", { class: "toggle-label" }, toggle(job), el("span", { text: job.enabled ? "enabled" : "disabled" })),
    job.scheduleType === "CRON" || !job.valid ? el("button", { type: "button", id: "edit-cron", class: "secondary",
      onclick: () => openCronEditor(job), text: "Edit schedule" }) : null,
    job.paused ? el("button", { type: "button", id: "resume-job", class: "secondary", onclick: () => askResume(job), text: "Resume" })
      : el("button", { type: "button", id: "pause-job", class: "secondary", onclick: () => openPause(job), text: "Pause…" }),
    el("button", { type: "button", class: "run-now", disabled: !job.valid, onclick: () => askToken(job), text: "Run now" }),
  ];
  document.getElementById("detail-actions").replaceChildren(...actions.filter(Boolean));
  const stats = history ? history.stats : null;
  const body = [
    job.valid ? null : el("p", { class: "error-text", text: job.error }),
    job.paused ? el("p", { class: "pause-note", text: pauseText(job) }) : null,
    el("div", { class: "facts" },
      fact("Schedule", job.valid ? (job.description || job.scheduleType) : "invalid", scheduleDetail(job)),
      fact("Next fires", next.length ? null : "—", null, next.map(at => el("div", { class: "mono next-fire", title: at,
        text: new Date(at).toLocaleString() + " (" + relative(at) + ")" }))),
      fact("Success rate", stats && stats.successRate !== null && stats.successRate !== undefined
        ? Math.round(stats.successRate * 100) + "%" : "—", stats ? stats.succeeded + " ok · " + stats.failed + " failed of " + stats.runs : ""),
      fact("Average duration", stats && stats.avgDurationMs !== null && stats.avgDurationMs !== undefined
        ? duration(Math.round(stats.avgDurationMs / 1000)) : "—", stats && stats.lastFailureAt ? "last failure " + relative(stats.lastFailureAt) : ""),
      failureFacts(job)),
    el("h4", { text: "Run history" }),
    historyError ? el("p", { class: "error-text", text: historyError }) : runTable(history ? history.items : []),
    el("h4", { text: "Changes" }),
    changesError ? el("p", { class: "error-text", text: changesError }) : changeTable(changes || []),
  ];
  document.getElementById("detail-body").replaceChildren(...body.filter(Boolean));
}

/** The failure-handling settings that are set, one fact each (DESIGN §12). */
function failureFacts(job) {
  const facts = [];
  const retry = job.retry;
  if (retry && retry.maxAttempts > 1) {
    facts.push(fact("Retry", retry.maxAttempts + " attempts", [retry.initialInterval && "first after " + retry.initialInterval,
      retry.backoffCoefficient && "×" + retry.backoffCoefficient, retry.maxInterval && "at most " + retry.maxInterval,
      retry.jitter !== undefined && retry.jitter !== null && "± " + Math.round(retry.jitter * 100) + "%"].filter(Boolean).join(" · ")));
  }
  if (job.runTimeout) facts.push(fact("Run timeout", job.runTimeout, "longer fails as TIMED OUT"));
  if (job.startDeadline) facts.push(fact("Start deadline", job.startDeadline, "no worker by then: MISSED"));
  if (job.pauseOnFailure) facts.push(fact("Pause on failure", "after " + job.pauseOnFailure, "consecutive failed runs"));
  if (Array.isArray(job.after) && job.after.length) {
    facts.push(fact("Runs after", null, null, job.after.map(up => el("div", { class: "mono after",
      text: up.jobId + " " + (up.on || "COMPLETED").toLowerCase() }))));
  }
  const notify = job.notify;
  if (notify && Array.isArray(notify.webhooks) && notify.webhooks.length) {
    facts.push(fact("Notify", notify.webhooks.length + " webhook" + (notify.webhooks.length > 1 ? "s" : ""),
      Array.isArray(notify.on) && notify.on.length ? "on " + notify.on.join(", ") : "every alert"));
  }
  return facts.map(node => { node.classList.add("failure-fact"); return node; });
}

function fact(label, value, sub, extra) {
  return el("div", { class: "fact" }, el("div", { class: "label", text: label }),
    value === null ? null : el("div", { class: "value", text: value }), extra || null,
    sub ? el("div", { class: "sub mono", text: sub }) : null);
}

function runTable(items) {
  if (!items.length) return el("p", { class: "empty", text: "No runs yet." });
  return el("table", { class: "history" },
    el("thead", {}, el("tr", {}, ["Run", "Status", "Attempt", "Duration", "Processed", "Succeeded", "Failed", "Triggered by", "Error"]
      .map(h => el("th", { text: h })))),
    el("tbody", {}, items.map(run => el("tr", { "data-run": run.runId },
      el("td", {}, when(run.startedAt || run.createdAt)),
      el("td", {}, el("span", { class: "badge " + run.status, text: run.status }), run.stuck ? el("span", { class: "badge stuck", text: "STUCK" }) : null,
        run.failureReason ? el("span", { class: "badge failure-reason " + run.failureReason, text: run.failureReason.replace("_", " ") }) : null),
      el("td", { class: "n", text: run.attempt || 1 }),
      el("td", { class: "n", text: run.durationMs === null || run.durationMs === undefined ? "—" : duration(Math.round(run.durationMs / 1000)) }),
      el("td", { class: "n", text: run.itemsProcessed }),
      el("td", { class: "n", text: run.itemsSucceeded }),
      el("td", { class: "n", text: run.itemsFailed }),
      el("td", { text: run.trigger === "MANUAL" ? "manual" + (run.triggeredBy ? " by " + run.triggeredBy : "")
        : (run.trigger || "").toLowerCase().replace("_", " ") || "—" }),
      el("td", {}, el("div", { class: "error-text", text: run.error || (run.status === "FAILED" ? run.message || "" : "") }),
        resultView(run))))));
}

function changeTable(items) {
  if (!items.length) return el("p", { class: "empty", text: "No changes through the API yet." });
  return el("table", { class: "changes" },
    el("thead", {}, el("tr", {}, ["When", "Who", "Action", "What"].map(h => el("th", { text: h })))),
    el("tbody", {}, items.map(change => el("tr", { "data-version": change.version },
      el("td", {}, when(change.at)),
      el("td", { text: change.by + (change.role ? " (" + change.role + ")" : "") }),
      el("td", { text: change.action + (change.version == null ? "" : " · v" + change.version) }),
      el("td", { class: "mono" }, change.forced ? [forcedText(change)] : (change.changes || []).map(c => el("div", {
        text: c.field + ": " + shown(c.old) + " → " + shown(c.new) })))))));
}

// A forced trigger changes no field: say what it overrode instead.
function forcedText(change) {
  return el("div", { text: "started " + change.runId + " while " + change.activeRunId + " was active"
    + " (triggeredBy: " + shown(change.triggeredBy) + ")" });
}

function shown(value) {
  if (value === null || value === undefined) return "∅";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function askResume(job) {
  const version = versionOf(job);
  confirmThen("Resume " + job.name + "?", pauseText(job) + ". It fires on its schedule again.", "Resume",
    () => afterWrite(send("POST", jobPath(job.jobId, "/resume"), undefined, version), job.name + " resumed"));
}

function openPause(job) {
  document.getElementById("pause-job").textContent = job.name;
  document.getElementById("pause-note").value = "";
  document.getElementById("pause-until").value = "";
  showError("pause-error", null);
  document.getElementById("pause-form").onsubmit = async event => {
    event.preventDefault();
    const until = document.getElementById("pause-until").value;
    const body = { note: document.getElementById("pause-note").value.trim() };
    if (until) body.until = new Date(until).toISOString();
    const result = await afterWrite(send("POST", jobPath(job.jobId, "/pause"), body, versionOf(job)), job.name + " paused");
    if (result.ok) document.getElementById("pause-dialog").close();
    else showError("pause-error", result.message);
  };
  document.getElementById("pause-dialog").showModal();
}

// -- schedule preview and the cron editor --

/** Asks the server (the ticker's own parser) what a schedule means; answers {valid, error, description, fires}. */
async function preview(schedule) {
  const result = await send("POST", "/api/v1/schedules/preview", Object.assign({ count: 5 }, schedule));
  if (!result.ok) return { valid: false, error: result.message, fires: [] };
  return result.body;
}

function renderPreview(target, answer) {
  const node = document.getElementById(target);
  node.className = "preview " + (answer.valid ? "valid" : "invalid");
  if (!answer.valid) {
    node.replaceChildren(el("div", { class: "error-text", text: answer.error }));
    return;
  }
  node.replaceChildren(el("div", { class: "description", text: "✓ " + (answer.description || "valid") }),
    el("div", { class: "sub", text: answer.fires.length ? "Next fires:" : "No upcoming fires." }),
    el("ol", { class: "fires" }, answer.fires.map(fire => el("li", { class: "mono", title: fire.at },
      fire.local.replace("T", " "), fire.note ? el("span", { class: "dst-note", text: " — " + fire.note }) : null))));
}

/** Calls {@code run} after typing pauses; an older answer arriving late is dropped. */
function debounced(state, run) {
  clearTimeout(state.timer);
  const seq = ++state.seq;
  state.timer = setTimeout(async () => {
    const answer = await run();
    if (seq === state.seq) answer.apply();
  }, PREVIEW_DELAY_MS);
}

function openCronEditor(job) {
  editor.job = job;
  editor.version = versionOf(job);
  editor.oldCron = job.cron || "";
  editor.oldZone = job.timeZone || "UTC";
  document.getElementById("cron-title").textContent = "Edit schedule of " + job.name;
  document.getElementById("cron-input").value = editor.oldCron;
  document.getElementById("cron-zone").value = editor.oldZone;
  showError("cron-error", null);
  cronConfirming(false);
  document.getElementById("cron-dialog").showModal();
  cronChanged();
}

function cronValues() {
  return { cron: document.getElementById("cron-input").value.trim(), zone: document.getElementById("cron-zone").value.trim() || "UTC" };
}

function cronChanged() {
  cronConfirming(false);
  editor.valid = false;
  document.getElementById("cron-save").disabled = true;
  document.getElementById("cron-preview").className = "preview pending";
  const { cron, zone } = cronValues();
  debounced(editor, async () => {
    const answer = await preview({ cronExpression: cron, timeZone: zone });
    return { apply: () => {
      renderPreview("cron-preview", answer);
      editor.valid = answer.valid;
      document.getElementById("cron-save").disabled = !answer.valid || (cron === editor.oldCron && zone === editor.oldZone);
    } };
  });
}

function cronConfirming(on) {
  document.getElementById("cron-confirm").hidden = !on;
  document.getElementById("cron-save").hidden = on;
  document.getElementById("cron-confirm-save").hidden = !on;
  if (on) {
    const { cron, zone } = cronValues();
    document.getElementById("cron-confirm-job").textContent = editor.job.name;
    document.getElementById("cron-old").textContent = editor.oldCron + " · " + editor.oldZone
      + (editor.job.description ? " (" + editor.job.description + ")" : "");
    const described = document.querySelector("#cron-preview .description");
    document.getElementById("cron-new").textContent = cron + " · " + zone
      + (described ? " (" + described.textContent.replace("✓ ", "") + ")" : "");
  }
}

async function saveCron() {
  const { cron, zone } = cronValues();
  const patch = { cronExpression: cron };
  if (zone !== editor.oldZone) patch.timeZone = zone;
  const button = document.getElementById("cron-confirm-save");
  button.disabled = true;
  const result = await afterWrite(send("PATCH", jobPath(editor.job.jobId), patch, editor.version),
    "Schedule of " + editor.job.name + " saved");
  button.disabled = false;
  if (result.ok) document.getElementById("cron-dialog").close();
  else showError("cron-error", result.message);
}

// -- create a job --

const creator = { seq: 0, timer: null };

function createSchedule() {
  const kind = document.getElementById("create-schedule").value;
  const zone = document.getElementById("create-zone").value.trim();
  if (kind === "manual") return { scheduleType: "Manual" };
  const schedule = kind === "cron" ? { cronExpression: document.getElementById("create-cron").value.trim() }
    : { interval: document.getElementById("create-interval").value.trim() };
  if (zone) schedule.timeZone = zone;
  return schedule;
}

function createChanged() {
  const kind = document.getElementById("create-schedule").value;
  document.querySelectorAll(".for-cron").forEach(n => { n.hidden = kind !== "cron"; });
  document.querySelectorAll(".for-interval").forEach(n => { n.hidden = kind !== "interval"; });
  const schedule = createSchedule();
  if (kind === "manual" || !(schedule.cronExpression || schedule.interval)) {
    document.getElementById("create-preview").replaceChildren();
    return;
  }
  debounced(creator, async () => {
    const answer = await preview(schedule);
    return { apply: () => renderPreview("create-preview", answer) };
  });
}

function openCreate() {
  document.getElementById("create-form").reset();
  showError("create-error", null);
  createChanged();
  document.getElementById("create-dialog").showModal();
}

async function submitCreate(event) {
  event.preventDefault();
  const body = Object.assign({ _id: document.getElementById("create-id").value.trim() }, createSchedule(),
    { enabled: document.getElementById("create-enabled").checked });
  for (const [field, id] of [["name", "create-name"], ["jobType", "create-type"]]) {
    const value = document.getElementById(id).value.trim();
    if (value) body[field] = value;
  }
  const payload = document.getElementById("create-payload").value.trim();
  if (payload) {
    try {
      body.payload = JSON.parse(payload);
    } catch (e) {
      showError("create-error", "Payload is not JSON: " + e.message);
      return;
    }
  }
  const result = await afterWrite(send("POST", "/api/v1/jobs", body), "Job " + body._id + " created");
  if (result.ok) document.getElementById("create-dialog").close();
  else showError("create-error", result.message);
}

// -- the token bar --

function showTokenState() {
  const has = !!token();
  document.getElementById("token-state").textContent = has ? "token set" : "no token";
  document.getElementById("token-state").classList.toggle("set", has);
  document.getElementById("token-forget").hidden = !has;
}

document.getElementById("token-bar").addEventListener("submit", event => {
  event.preventDefault();
  const field = document.getElementById("token-field");
  if (field.value.trim()) sessionStorage.setItem(TOKEN_KEY, field.value.trim());
  field.value = "";
  showTokenState();
  refresh();
});
document.getElementById("token-forget").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showTokenState();
  refresh();
});
document.getElementById("new-job").addEventListener("click", openCreate);
document.getElementById("create-form").addEventListener("submit", submitCreate);
document.getElementById("create-form").addEventListener("input", createChanged);
document.getElementById("create-cancel").addEventListener("click", () => document.getElementById("create-dialog").close());
document.getElementById("cron-input").addEventListener("input", cronChanged);
document.getElementById("cron-zone").addEventListener("input", cronChanged);
document.getElementById("cron-examples").addEventListener("click", event => {
  const cron = event.target.closest("[data-cron]");
  if (!cron) return;
  document.getElementById("cron-input").value = cron.dataset.cron;
  cronChanged();
});
document.getElementById("cron-save").addEventListener("click", () => cronConfirming(true));
document.getElementById("cron-confirm-save").addEventListener("click", saveCron);
document.getElementById("cron-cancel").addEventListener("click", () => document.getElementById("cron-dialog").close());
document.getElementById("confirm-cancel").addEventListener("click", () => document.getElementById("confirm-dialog").close());
document.getElementById("pause-cancel").addEventListener("click", () => document.getElementById("pause-dialog").close());
document.getElementById("detail-close").addEventListener("click", () => document.getElementById("detail-dialog").close());
document.getElementById("detail-dialog").addEventListener("close", () => { detail.jobId = null; });
showTokenState();

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
