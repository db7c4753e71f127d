// Inclusive CPU time (4x slowdown) of the functions whose names match a
// pattern, over the start-up of a route of a served bundle.
//   node scripts/profile/profile-tree.js http://127.0.0.1:8093 /checkout 'checkout_app::|mount_to' 30
// Wasm functions have names only in a main module that kept them: run
// wasm-bindgen on target/release-bundle/split/checkout-app.wasm (before
// wasm-opt), put that module in a copy of dist/ and its sha384 in index.html.
// Needs puppeteer-core, which scripts/bench.sh installs with Lighthouse.
const puppeteer = require(require('path').join(__dirname, '../../.tools/node/node_modules/puppeteer-core'));
(async () => {
  const [base, route, pattern] = [process.argv[2], process.argv[3] || '/', new RegExp(process.argv[4] || 'checkout_app::')];
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: 'new', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const cdp = await page.target().createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.goto(base + route, { waitUntil: 'networkidle0' });
  await new Promise(r => setTimeout(r, 800));
  const { profile } = await cdp.send('Profiler.stop');
  await browser.close();
  const byId = {}, parent = {};
  for (const n of profile.nodes) { byId[n.id] = n; for (const c of n.children || []) parent[c] = n.id; }
  const incl = {};
  for (let i = 0; i < profile.samples.length; i++) {
    const d = profile.timeDeltas[i] / 1000; const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent[id]) {
      const k = byId[id].callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '');
      if (pattern.test(k) && !seen.has(k)) { seen.add(k); incl[k] = (incl[k] || 0) + d; }
    }
  }
  for (const [k, v] of Object.entries(incl).sort((a, b) => b[1] - a[1]).slice(0, +(process.argv[5] || 40))) console.log(v.toFixed(1).padStart(7), k.slice(0, 160));
})();
