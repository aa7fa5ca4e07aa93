// Uses the dashboard as a person would, in headless Chromium: sign in, open a finished job, train again with its
// configuration, watch the new job's curves gain points as they arrive, open the model page, compare the two
// versions. Screenshots of each step go to SCREENSHOTS. Exits 0 when every check held, 1 with the reason otherwise.
//
// Environment: DASHBOARD_URL (registry-service base URL), TOKEN (an admin token, as ./finetune dashboard gives),
// JOB_ID (a finished job),
// SCREENSHOTS (a folder), CHROMIUM (default /usr/bin/chromium), TIMEOUT_MS (default 600000).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = required("DASHBOARD_URL").replace(/\/$/, "");
const token = required("TOKEN");
const firstJob = required("JOB_ID");
const shots = required("SCREENSHOTS");
const timeout = Number(process.env.TIMEOUT_MS || 600000);
mkdirSync(shots, { recursive: true });

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(name + " is not set");
  return value;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const points = (page) => page.$eval("#curves", (el) => ({ all: Number(el.dataset.points), live: Number(el.dataset.livePoints) }));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // no sandbox as root; no background traffic on a closed network
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(e.message));
page.setDefaultTimeout(60000);
let step = "start";
const shot = (name) => page.screenshot({ path: join(shots, name + ".png"), fullPage: true });

try {
  step = "sign in through the link ./finetune demo prints";
  await page.goto(base + "/dashboard/login#token=" + encodeURIComponent(token));
  await page.waitForURL(base + "/dashboard");
  check((await page.textContent("#jobs")).includes(firstJob), "the jobs table does not list " + firstJob);
  await shot("1-overview");

  step = "open the finished job and train again with its configuration";
  await page.click(`a[href="/dashboard/jobs/${firstJob}"]`);
  const before = await points(page);
  check(before.all > 0, "the finished job's page shows no curve points");
  await page.click("#train-again");
  await page.waitForURL((url) => url.pathname.startsWith("/dashboard/jobs/") && !url.pathname.endsWith(firstJob));
  const secondJob = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  check((await page.$eval("#curves", (el) => el.dataset.live)) === "true", "the new job's page is not live");

  step = "watch the new job's curves gain points as they arrive";
  await page.waitForFunction(() => Number(document.querySelector("#curves").dataset.livePoints) >= 1, null, { timeout });
  const early = await points(page);
  await page.waitForFunction((n) => Number(document.querySelector("#curves").dataset.points) >= n, early.all + 5, { timeout });
  const later = await points(page);
  console.log(`live curve: ${early.all} points, then ${later.all} (${later.live} pushed by the server)`);
  await shot("2-live-curves");

  step = "wait for the new job's model version";
  await page.waitForSelector("#model-link a", { timeout });
  await shot("3-job-finished");
  await page.click("#model-link a");
  await page.waitForURL(/\/dashboard\/models\/\d+$/);
  const secondModel = page.url().split("/").pop();
  check((await page.textContent("#metrics")).includes("accuracy"), "the model page shows no accuracy");
  check((await page.textContent("#lineage")).includes(secondJob), "the model page's lineage does not name its job");
  check(Number(await page.$eval("#curves", (el) => el.dataset.points)) > 0, "the model page draws no curve");
  await shot("4-model");

  step = "compare the first job's version with the new one";
  await page.goto(base + "/dashboard");
  const rows = await page.$$eval("#models tbody tr[data-model]", (trs) => trs.map((tr) => ({ id: tr.dataset.model, text: tr.textContent })));
  const older = rows.find((r) => r.id !== secondModel);
  check(older, "the models table has no second version to compare with");
  await page.check(`#models tr[data-model="${older.id}"] input[name=a]`);
  await page.check(`#models tr[data-model="${secondModel}"] input[name=b]`);
  await page.click("#compare");
  await page.waitForURL(/\/dashboard\/compare\?/);
  check((await page.textContent("#compare-lineage")).includes(secondJob), "the comparison does not show the new job");
  check(Number(await page.$eval("#compare-curves", (el) => el.dataset.points)) > 0, "the comparison draws no curves");
  await shot("5-compare");

  check(pageErrors.length === 0, "the pages' script failed: " + pageErrors.join("; "));
  console.log(`dashboard: signed in, trained ${secondJob} again from ${firstJob}, watched it live, compared ${older.id} and ${secondModel}`);
  await browser.close();
} catch (e) {
  console.error(`dashboard browser test failed at "${step}": ${e.message}`);
  if (pageErrors.length) console.error("page errors: " + pageErrors.join("; "));
  await shot("failure").catch(() => {});
  await browser.close();
  process.exit(1);
}
