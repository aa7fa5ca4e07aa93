// The dashboard's behaviour: charts (uPlot), live curves (server-sent events), and the buttons, which call the
// registry's API like any other client (the session cookie carries the token).
"use strict";

const SERIES = {
  loss: { title: "Loss", lines: [["train loss", "trainLoss", "#2563eb"], ["validation loss", "validationLoss", "#dc2626"]] },
  learningRate: { title: "Learning rate", lines: [["learning rate", "learningRate", "#7c3aed"]],
    format: (v) => v.toExponential(1) },
  tokensPerSecond: { title: "Tokens per second", lines: [["tokens/s", "tokensPerSecond", "#059669"]] },
};

function notice(text, isError) {
  const el = document.getElementById("notice");
  el.textContent = text;
  el.className = isError ? "error" : "";
  el.hidden = false;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problems = json && json.problems && json.problems.length ? ": " + json.problems.join("; ") : "";
    throw new Error(((json && json.error) || response.status + " " + response.statusText) + problems);
  }
  return json;
}

function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

/** One chart per kind of curve, redrawn from `points` (sorted by step). */
class Curves {
  constructor(section, points) {
    this.section = section;
    this.points = [];
    this.charts = [];
    for (const el of section.querySelectorAll("[data-chart]")) {
      const spec = SERIES[el.dataset.chart];
      const opts = {
        title: spec.title,
        width: 440,
        height: 240,
        scales: { x: { time: false } },
        series: [{ label: "step" }].concat(spec.lines.map(([label, , stroke]) => ({ label, stroke, width: 2, spanGaps: true }))),
        axes: [{ label: "step" }, spec.format ? { size: 70, values: (u, ticks) => ticks.map(spec.format) } : { size: 70 }],
      };
      this.charts.push({ spec, plot: new uPlot(opts, this.data(spec), el) });
    }
    this.add(points);
  }

  data(spec) {
    return [this.points.map((p) => p.step)].concat(spec.lines.map(([, key]) => this.points.map((p) => p[key] ?? null)));
  }

  /** Adds points not seen yet (by step); answers how many were new. */
  add(points) {
    const seen = new Set(this.points.map((p) => p.step));
    const fresh = points.filter((p) => !seen.has(p.step));
    if (fresh.length) {
      this.points = this.points.concat(fresh).sort((a, b) => a.step - b.step);
      for (const c of this.charts) c.plot.setData(this.data(c.spec));
    }
    this.section.dataset.points = String(this.points.length);
    return fresh.length;
  }
}

function followJob(section, curves) {
  const jobId = section.dataset.job;
  const events = new EventSource("/api/jobs/" + encodeURIComponent(jobId) + "/progress");
  const status = document.getElementById("job-status");
  events.onmessage = (e) => {
    const added = curves.add([JSON.parse(e.data)]);
    section.dataset.livePoints = String(Number(section.dataset.livePoints) + added);
    if (status.textContent === "QUEUED") {
      status.textContent = "RUNNING";
      status.className = "status status-RUNNING";
    }
  };
  // the job's status changes rarely; ask for it now and then, and stop once it ended
  const timer = setInterval(async () => {
    try {
      const job = await api("GET", "/api/jobs/" + encodeURIComponent(jobId));
      status.textContent = job.status;
      status.className = "status status-" + job.status;
      document.getElementById("failure").textContent = job.failureReason || "";
      if (job.status === "FAILED" || job.status === "EVALUATED") {
        clearInterval(timer);
        events.close();
        curves.add((await api("GET", "/api/jobs/" + encodeURIComponent(jobId) + "/curve")).points);
        const models = await api("GET", "/api/models?jobId=" + encodeURIComponent(jobId));
        if (models.length) {
          const link = document.createElement("a");
          link.href = "/dashboard/models/" + models[0].id;
          link.textContent = "Model version " + models[0].id;
          document.getElementById("model-link").replaceChildren(link);
        }
      }
    } catch (err) {
      notice("Could not refresh the job: " + err.message, true);
    }
  }, 3000);
}

function compareCurves(section, views) {
  // one loss chart with both versions' curves over the union of their steps
  const steps = [...new Set(views.flatMap((v) => v.points.map((p) => p.step)))].sort((a, b) => a - b);
  const column = (v, key) => {
    const byStep = new Map(v.points.map((p) => [p.step, p[key]]));
    return steps.map((s) => byStep.get(s) ?? null);
  };
  const colors = [["#2563eb", "#93c5fd"], ["#dc2626", "#fca5a5"]];
  const series = [{ label: "step" }];
  const data = [steps];
  views.forEach((v, i) => {
    const name = i === 0 ? "a" : "b";
    series.push({ label: name + " train loss", stroke: colors[i][0], width: 2, spanGaps: true });
    series.push({ label: name + " validation loss", stroke: colors[i][1], width: 2, dash: [6, 4], spanGaps: true });
    data.push(column(v, "trainLoss"), column(v, "validationLoss"));
  });
  new uPlot({ title: "Loss", width: 760, height: 280, scales: { x: { time: false } }, series, axes: [{ label: "step" }, { size: 70 }] },
    data, section.querySelector("[data-chart]"));
  section.dataset.points = String(views.reduce((n, v) => n + v.points.length, 0));
}

function wireButtons() {
  const again = document.getElementById("train-again");
  if (again) {
    again.addEventListener("click", async () => {
      again.disabled = true;
      try {
        const job = await api("POST", "/api/jobs", readJson("again-request"));
        location.assign("/dashboard/jobs/" + encodeURIComponent(job.jobId));
      } catch (err) {
        notice("The job was not started: " + err.message, true);
        again.disabled = false;
      }
    });
  }
  const runTask = document.getElementById("run-task");
  if (runTask) {
    runTask.addEventListener("click", async () => {
      runTask.disabled = true;
      try {
        const started = await api("POST", "/api/tasks/" + encodeURIComponent(runTask.closest("[data-task]").dataset.task) + "/runs");
        notice("Queued " + started.jobs.length + " job(s)" + (started.notQueued.length ? "; not queued: " + started.notQueued.join("; ") : ""),
          started.notQueued.length > 0);
        setTimeout(() => location.reload(), 1500);
      } catch (err) {
        notice("The task was not run: " + err.message, true);
        runTask.disabled = false;
      }
    });
  }
  for (const button of document.querySelectorAll("[data-action=stage], [data-action=rollback]")) {
    button.addEventListener("click", async () => {
      const box = button.closest("[data-model]");
      const target = button.dataset.action === "rollback" ? "roll production back" : "move it to " + button.dataset.stage;
      const reason = prompt("Why " + target + "? (recorded in the audit trail)");
      if (!reason) return;
      try {
        if (button.dataset.action === "rollback") {
          await api("POST", "/api/production/" + encodeURIComponent(box.dataset.modelName) + "/rollback", { reason });
        } else {
          await api("POST", "/api/models/" + box.dataset.model + "/stage", { stage: button.dataset.stage, reason });
        }
        location.reload();
      } catch (err) {
        notice("Not changed: " + err.message, true);
      }
    });
  }
}

function signInFromFragment() {
  // ./finetune demo prints /dashboard/login#token=...: the fragment never reaches a server or its logs
  const form = document.getElementById("sign-in");
  const match = /[#&]token=([^&]+)/.exec(location.hash);
  if (form && match) {
    history.replaceState(null, "", location.pathname);
    form.querySelector("textarea").value = decodeURIComponent(match[1]);
    form.submit();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  signInFromFragment();
  wireButtons();
  const section = document.getElementById("curves");
  if (section) {
    const curves = new Curves(section, readJson("curve-data").points);
    if (section.dataset.live === "true") followJob(section, curves);
  }
  const compare = document.getElementById("compare-curves");
  if (compare) compareCurves(compare, readJson("curves-data"));
});
