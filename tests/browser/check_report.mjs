// Opens a rehearse HTML report in Debian's headless Chromium and checks it.
// Usage: node check_report.mjs REPORT.html OUT_DIR EXPECT_JSON
//   take report:   {"sections": n, "words": n, "markers": n}; findings.transcript
//                  lists the transcript as shown (headers, sentences, words by
//                  index with their marks), for the caller to hold against the analysis
//   progress page: {"kind": "progress", "charts": n, "rows": n}
//   interview summary: {"kind": "interview", "questions": n, "players": n, "skipped": n};
//                  findings.audio lists each player's take id and duration, after playing it
// Prints one JSON line of findings; exits 1 when a check fails.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [reportPath, outDir, expectJson] = process.argv.slice(2);
if (!reportPath || !outDir || !expectJson) {
  console.error("usage: node check_report.mjs REPORT.html OUT_DIR EXPECT_JSON");
  process.exit(2);
}
const expect = JSON.parse(expectJson);
const reportUrl = pathToFileURL(resolve(reportPath)).href;
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "rehearse-chromium-"));

const failures = [];
const findings = {};
const check = (ok, what) => { if (!ok) failures.push(what); };

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required", "--mute-audio",
  ],
  viewport: { width: 1280, height: 900 },
});

try {
  const consoleErrors = [];
  const requests = [];
  const failedRequests = [];
  // Anything other than the report itself or a data: URI is a failure, and
  // is blocked so the check never touches the network.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url === reportUrl || url.startsWith("data:")) return route.continue();
    return route.abort();
  });
  context.on("request", (req) => requests.push(req.url()));
  context.on("requestfailed", (req) => failedRequests.push(`${req.url()} ${req.failure()?.errorText ?? ""}`));

  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (msg) => { if (msg.type() === "error") consoleErrors.push(msg.text()); });
  page.on("pageerror", (err) => consoleErrors.push(String(err)));

  await page.goto(reportUrl, { waitUntil: "load" });
  const name = expect.kind ?? "report";
  if (expect.kind === "interview") {
    const dom = await page.evaluate(() => ({
      questions: document.querySelectorAll("section.question").length,
      players: document.querySelectorAll("audio[data-take]").length,
      skipped: document.querySelectorAll(".follow-up .skipped").length,
      rows: document.querySelectorAll("#overview tbody tr").length,
      links: Array.from(document.querySelectorAll("#overview a[href^='#']")).map((a) => a.getAttribute("href")),
      workOn: document.querySelectorAll("#work-on li").length,
    }));
    findings.dom = dom;
    check(dom.questions === expect.questions, `question sections ${dom.questions} != ${expect.questions}`);
    check(dom.players === expect.players, `audio players ${dom.players} != ${expect.players}`);
    check(dom.skipped === expect.skipped, `skipped follow-ups ${dom.skipped} != ${expect.skipped}`);
    // Every link in the overview lands on a take's section.
    const dangling = await page.evaluate((links) => links.filter((href) => !document.getElementById(decodeURIComponent(href.slice(1)))), dom.links);
    check(dom.links.length === expect.players, `overview links ${dom.links.length} != ${expect.players}`);
    check(dangling.length === 0, `links to nothing: ${dangling.join(", ")}`);
    // Each take's audio loads, has a length and plays.
    findings.audio = [];
    for (const take of await page.evaluate(() => Array.from(document.querySelectorAll("audio[data-take]")).map((a) => a.dataset.take))) {
      const played = await page.evaluate(async (id) => {
        const a = document.querySelector(`audio[data-take="${id}"]`);
        a.preload = "auto";
        a.load();
        await new Promise((ok, fail) => {
          if (a.readyState >= 1) return ok();
          a.addEventListener("loadedmetadata", ok, { once: true });
          a.addEventListener("error", () => fail(new Error("audio error")), { once: true });
        });
        await a.play();
        await new Promise((ok) => setTimeout(ok, 300));
        a.pause();
        return { take: id, duration: a.duration, currentTime: a.currentTime };
      }, take);
      findings.audio.push(played);
      check(isFinite(played.duration) && played.duration > 1, `take ${take}: audio duration ${played.duration}`);
      check(played.currentTime > 0, `take ${take}: audio did not play`);
    }
  } else if (expect.kind === "progress") {
    const dom = await page.evaluate(() => ({
      charts: document.querySelectorAll("svg.pace polyline").length,
      rows: document.querySelectorAll("table.progress-table tbody tr").length,
    }));
    findings.dom = dom;
    check(dom.charts === expect.charts, `charts ${dom.charts} != ${expect.charts}`);
    check(dom.rows === expect.rows, `table rows ${dom.rows} != ${expect.rows}`);
  } else {
    await page.waitForFunction(() => {
      const a = document.getElementById("take");
      return a && a.readyState >= 1 && isFinite(a.duration);
    }, null, { timeout: 15000 });

    const dom = await page.evaluate(() => ({
      sections: document.querySelectorAll("#timeline .track .seg").length,
      markers: document.querySelectorAll("#timeline .markers .mark").length,
      words: document.querySelectorAll("#transcript .w[data-start]").length,
      fillers: document.querySelectorAll("#transcript .w.filler").length,
      paceChart: document.querySelectorAll("svg.pace polyline").length,
      audioDuration: document.getElementById("take").duration,
      title: document.title,
    }));
    findings.dom = dom;
    check(dom.sections === expect.sections, `timeline sections ${dom.sections} != ${expect.sections}`);
    check(dom.markers === expect.markers, `timeline markers ${dom.markers} != ${expect.markers}`);
    check(dom.words === expect.words, `transcript words ${dom.words} != ${expect.words}`);
    check(dom.fillers > 0, "no highlighted fillers");
    check(dom.paceChart === 1, "no pace chart");

    // Clicking a word seeks to its start. The click and the read happen in one
    // task, so playback cannot move the time in between.
    const seeks = await page.evaluate(() => {
      const audio = document.getElementById("take");
      const words = Array.from(document.querySelectorAll("#transcript .w[data-start]"));
      const picks = [words[Math.floor(words.length / 2)], words[words.length - 3]];
      return picks.map((word) => {
        word.click();
        const got = audio.currentTime;
        audio.pause();
        return { word: word.textContent, start: parseFloat(word.dataset.start), currentTime: got };
      });
    });
    findings.seeks = seeks;
    for (const s of seeks) {
      check(s.start > 1 && Math.abs(s.currentTime - s.start) <= 0.05, `word "${s.word}" at ${s.start} s seeked to ${s.currentTime}`);
    }
    // The transcript as a person sees it: headers and sentences in order,
    // each word with its transcript index, its start, its mark and its colour.
    findings.transcript = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll("#transcript h3, #transcript p.sent")) {
        if (el.tagName === "H3") {
          out.push({ kind: "header", label: el.className.replace("lab-", "") });
          continue;
        }
        const labels = Array.from(el.classList).filter((c) => c.startsWith("lab-")).map((c) => c.replace("lab-", ""));
        const colours = new Set();
        const words = Array.from(el.querySelectorAll(".w[data-word]")).map((w) => {
          if (!w.classList.contains("filler")) colours.add(getComputedStyle(w).color);
          return {
            index: parseInt(w.dataset.word, 10),
            text: w.textContent,
            start: parseFloat(w.dataset.start),
            filler: w.classList.contains("filler"),
            // The filler's mark reaches on to the next word ("I mean").
            goesOn: w.classList.contains("goes-on"),
          };
        });
        out.push({ kind: "sentence", labels, colours: colours.size, words });
      }
      return out;
    });
    // Clicking a filler seeks to that word's own start.
    const fillerSeek = await page.evaluate(() => {
      const audio = document.getElementById("take");
      const word = document.querySelector("#transcript .w.filler[data-start]");
      if (!word) return null;
      word.click();
      const got = audio.currentTime;
      audio.pause();
      return { word: word.textContent, start: parseFloat(word.dataset.start), currentTime: got };
    });
    findings.fillerSeek = fillerSeek;
    if (fillerSeek) {
      check(Math.abs(fillerSeek.currentTime - fillerSeek.start) <= 0.05, `filler "${fillerSeek.word}" at ${fillerSeek.start} s seeked to ${fillerSeek.currentTime}`);
    }
    // A real mouse click on a pause marker in the timeline, if the take has one.
    if ((await page.locator("#timeline .mark.pause").count()) > 0) {
      const marker = page.locator("#timeline .mark.pause").first();
      const markerStart = parseFloat(await marker.getAttribute("data-start"));
      await marker.click();
      const afterMarker = await page.evaluate(() => { const a = document.getElementById("take"); a.pause(); return a.currentTime; });
      findings.marker = { start: markerStart, currentTime: afterMarker };
      check(afterMarker >= markerStart - 0.05 && afterMarker < markerStart + 1.0, `pause marker at ${markerStart} s seeked to ${afterMarker}`);
    }
    await page.evaluate(() => {
      const a = document.getElementById("take");
      a.currentTime = 0;
      if (document.activeElement) document.activeElement.blur();
    });
    await page.waitForTimeout(200);
    // The playhead runs over the sections and markers, not through the time
    // labels under them (it once reached down into the legend).
    const head = await page.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect();
      return { headBottom: box("#playhead").bottom, axisTop: box("#timeline .axis").top };
    });
    findings.playhead = head;
    check(head.headBottom <= head.axisTop + 0.5, `playhead ends at ${head.headBottom}px, below the time axis at ${head.axisTop}px`);
  }

  // Screenshots: laptop full page, then a phone-sized viewport.
  const laptopPng = join(outDir, `${name}.png`);
  const laptop = await page.screenshot({ path: laptopPng, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  const overflowPx = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  findings.phoneOverflowPx = overflowPx;
  check(overflowPx <= 0, `page scrolls sideways on a phone by ${overflowPx}px`);
  await page.screenshot({ path: join(outDir, `${name}-phone.png`), fullPage: true });

  // Count colours in the laptop screenshot by drawing it onto a canvas, in
  // a blank page so the report's own content policy does not apply.
  const scratch = await context.newPage();
  const stats = await scratch.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const colours = new Set();
    let background = 0;
    const [r0, g0, b0] = [data[0], data[1], data[2]];
    for (let i = 0; i < data.length; i += 4) {
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (data[i] === r0 && data[i + 1] === g0 && data[i + 2] === b0) background++;
    }
    return { width: img.width, height: img.height, colours: colours.size, nonBackgroundShare: 1 - background / (data.length / 4) };
  }, laptop.toString("base64"));
  await scratch.close();
  findings.screenshot = stats;
  check(stats.colours >= 50, `screenshot has only ${stats.colours} colours`);
  check(stats.nonBackgroundShare >= 0.2, `screenshot is ${(100 - stats.nonBackgroundShare * 100).toFixed(0)}% background`);

  const external = requests.filter((url) => url !== reportUrl && !url.startsWith("data:"));
  findings.requests = { total: requests.length, external, failed: failedRequests };
  findings.consoleErrors = consoleErrors;
  check(external.length === 0, `external requests: ${external.join(", ")}`);
  check(failedRequests.length === 0, `failed requests: ${failedRequests.join(", ")}`);
  check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(" | ")}`);
} catch (err) {
  failures.push(`check crashed: ${err && err.stack ? err.stack : err}`);
} finally {
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}

findings.failures = failures;
console.log(JSON.stringify(findings));
writeFileSync(join(outDir, `${expect.kind === "progress" ? "progress" : "report"}-findings.json`), JSON.stringify(findings, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
