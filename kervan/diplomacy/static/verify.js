// The offline pass verifier: the same checks, in the same order, as
// kervan/diplomacy/verification.py, on keys and a revocation list kept in the browser.
"use strict";
(function () {
  const PREFIX = "KVP1:";
  const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  const ZONES = { 1: "departures", 2: "arrivals", 3: "transit" };
  const STORE = { keys: "kervan.verify.keys", revocations: "kervan.verify.revocations",
    scans: "kervan.verify.scans", post: "kervan.verify.post", device: "kervan.verify.device" };
  const root = document.getElementById("verifier");
  const T = JSON.parse(document.getElementById("verifier-messages").textContent);
  const maxAgeHours = Number(root.dataset.maxAgeHours || "12");

  class Refusal extends Error {
    constructor(reason, detail, claims, kid) { super(detail); this.reason = reason; this.claims = claims; this.kid = kid; }
  }

  function base45(text) {
    const out = [];
    for (let i = 0; i < text.length; i += 3) {
      const chunk = text.slice(i, i + 3);
      const v = [...chunk].map((c) => { const n = B45.indexOf(c); if (n < 0) throw new Refusal("malformed", "not Base45"); return n; });
      if (v.length === 1) throw new Refusal("malformed", "not a Base45 length");
      const n = v.reduce((s, x, k) => s + x * 45 ** k, 0);
      if (v.length === 3) { if (n > 0xffff) throw new Refusal("malformed", "Base45 out of range"); out.push(n >> 8, n & 0xff); }
      else { if (n > 0xff) throw new Refusal("malformed", "Base45 out of range"); out.push(n); }
    }
    return new Uint8Array(out);
  }

  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    const out = new Uint8Array(await new Response(stream).arrayBuffer());
    if (out.length > 2048) throw new Refusal("malformed", "inflates beyond its size limit");
    return out;
  }

  function cborDecode(bytes) {
    let pos = 0;
    const text = new TextDecoder("utf-8", { fatal: true });
    function arg(info) {
      if (info < 24) return info;
      const size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
      if (!size || pos + size > bytes.length) throw new Refusal("malformed", "bad CBOR");
      let n = 0;
      for (let i = 0; i < size; i++) n = n * 256 + bytes[pos++];
      return n;
    }
    function item(depth) {
      if (depth > 8 || pos >= bytes.length) throw new Refusal("malformed", "bad CBOR");
      const first = bytes[pos++], major = first >> 5, info = first & 31;
      if (major === 7) { if (info === 20) return false; if (info === 21) return true; if (info === 22) return null; throw new Refusal("malformed", "bad CBOR"); }
      const n = arg(info);
      if (major === 0) return n;
      if (major === 1) return -1 - n;
      if (major === 2 || major === 3) {
        if (pos + n > bytes.length) throw new Refusal("malformed", "bad CBOR");
        const raw = bytes.slice(pos, pos + n); pos += n;
        return major === 2 ? raw : text.decode(raw);
      }
      if (major === 6) return { tag: n, value: item(depth + 1) };
      if (n > 256) throw new Refusal("malformed", "bad CBOR");
      if (major === 4) { const a = []; for (let i = 0; i < n; i++) a.push(item(depth + 1)); return a; }
      const m = new Map();
      for (let i = 0; i < n; i++) { const k = item(depth + 1); m.set(k, item(depth + 1)); }
      return m;
    }
    const value = item(0);
    if (pos !== bytes.length) throw new Refusal("malformed", "bytes after the CBOR item");
    return value;
  }

  function head(major, n) {
    if (n < 24) return [major << 5 | n];
    if (n < 256) return [major << 5 | 24, n];
    return [major << 5 | 25, n >> 8, n & 0xff];
  }

  function sigStructure(protectedBytes, payload) {
    const label = new TextEncoder().encode("Signature1");
    const parts = [head(4, 4), head(3, label.length), [...label], head(2, protectedBytes.length),
      [...protectedBytes], head(2, 0), head(2, payload.length), [...payload]];
    return new Uint8Array(parts.flat());
  }

  function b64url(text) {
    const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  }

  const keyCache = new Map();
  async function publicKey(entry) {
    if (!keyCache.has(entry.kid)) {
      keyCache.set(entry.kid, await crypto.subtle.importKey("raw", b64url(entry.x), { name: "Ed25519" }, false, ["verify"]));
    }
    return keyCache.get(entry.kid);
  }

  function load(name, fallback) {
    try { return JSON.parse(localStorage.getItem(name)) ?? fallback; } catch (e) { return fallback; }
  }
  function save(name, value) { localStorage.setItem(name, JSON.stringify(value)); }

  function keyProblem(entry, at) {
    if (entry.revoked_at && at >= Date.parse(entry.revoked_at)) return "key " + entry.kid + " was revoked";
    if (at < Date.parse(entry.valid_from)) return "key " + entry.kid + " is not valid yet";
    if (entry.valid_until && at > Date.parse(entry.valid_until)) return "key " + entry.kid + " expired";
    return null;
  }

  async function verify(text, post, now) {
    text = text.trim();
    if (text.length > 2000 || !text.startsWith(PREFIX)) throw new Refusal("malformed", "not a Kervan pass");
    let message = cborDecode(await inflate(base45(text.slice(PREFIX.length))).catch((e) => { throw e instanceof Refusal ? e : new Refusal("malformed", "not zlib data"); }));
    if (message && message.tag !== undefined) { if (message.tag !== 18) throw new Refusal("malformed", "not COSE_Sign1"); message = message.value; }
    if (!Array.isArray(message) || message.length !== 4) throw new Refusal("malformed", "not COSE_Sign1");
    const [prot, , payload, signature] = message;
    if (![prot, payload, signature].every((b) => b instanceof Uint8Array)) throw new Refusal("malformed", "not COSE_Sign1");
    const header = cborDecode(prot);
    if (!(header instanceof Map) || header.get(1) !== -8 || !(header.get(4) instanceof Uint8Array)) throw new Refusal("malformed", "not EdDSA");
    const kid = new TextDecoder().decode(header.get(4));
    const body = cborDecode(payload);
    if (!(body instanceof Map) || body.get(1) !== 1) throw new Refusal("malformed", "unknown pass version");
    const id = [...body.get(2)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const claims = {
      pass_id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
      issuing_state: body.get(3), home_state: body.get(4), holder_mrz: body.get(5),
      holder_native: body.get(6) || body.get(5), accreditation: body.get(7), airports: body.get(8) || [],
      zones: (body.get(9) || []).map((z) => ZONES[z]), terminal: body.get(10) || "",
      valid_from: body.get(11) * 1000, valid_until: body.get(12) * 1000, purpose: body.get(13),
      issued_at: body.get(14) * 1000,
    };
    const keys = load(STORE.keys, { keys: [] }).keys;
    const entry = keys.find((k) => k.kid === kid);
    if (!entry) throw new Refusal("unknown-signer", "key " + kid + " is not on the trust list", claims, kid);
    if (entry.state !== claims.issuing_state) throw new Refusal("unknown-signer", "key " + kid + " does not belong to " + claims.issuing_state, claims, kid);
    const problem = keyProblem(entry, claims.issued_at);
    if (problem) throw new Refusal("unknown-signer", problem, claims, kid);
    const ok = await crypto.subtle.verify({ name: "Ed25519" }, await publicKey(entry), signature, sigStructure(prot, payload));
    if (!ok) throw new Refusal("bad-signature", "the signature does not match the pass", claims, kid);
    const revoked = new Set(Object.values(load(STORE.revocations, {})).flatMap((list) => list.revoked || []));
    if (revoked.has(claims.pass_id)) throw new Refusal("revoked", "on the revocation list", claims, kid);
    if (now < claims.valid_from) throw new Refusal("not-yet-valid", "not valid yet", claims, kid);
    if (now > claims.valid_until) throw new Refusal("expired", "expired", claims, kid);
    if (post.airport && !claims.airports.includes(post.airport)) throw new Refusal("wrong-airport", "another airport", claims, kid);
    if (post.zone && !claims.zones.includes(post.zone)) throw new Refusal("wrong-zone", "another zone", claims, kid);
    return { reason: "valid", claims, kid };
  }

  async function check(text) {
    const post = load(STORE.post, {});
    try { return await verify(text, post, Date.now()); }
    catch (e) {
      if (e instanceof Refusal) return { reason: e.reason, detail: e.message, claims: e.claims, kid: e.kid };
      return { reason: "malformed", detail: String(e) };
    }
  }

  // ---- data: signer keys and signed revocation lists, refreshed whenever online ----
  async function verifiedRevocations(jws) {
    const [h, p, s] = jws.split(".");
    const header = JSON.parse(new TextDecoder().decode(b64url(h)));
    const entry = load(STORE.keys, { keys: [] }).keys.find((k) => k.kid === header.kid);
    if (!entry || header.typ !== "kervan-pass-revocations+jws") throw new Error("revocation list signer unknown");
    const ok = await crypto.subtle.verify({ name: "Ed25519" }, await publicKey(entry), b64url(s), new TextEncoder().encode(h + "." + p));
    if (!ok) throw new Error("revocation list signature invalid");
    const list = JSON.parse(new TextDecoder().decode(b64url(p)));
    if (list.state !== entry.state) throw new Error("revocation list of another state");
    return list;
  }

  async function sync() {
    try {
      const keys = await fetch("/api/v1/passes/signer-keys", { cache: "no-store" });
      if (keys.ok) save(STORE.keys, await keys.json());
      const rev = await fetch("/api/v1/passes/revocations", { cache: "no-store" });
      if (rev.ok) {
        const list = await verifiedRevocations(await rev.text());
        const all = load(STORE.revocations, {});
        all[list.state] = list;
        save(STORE.revocations, all);
      }
      await sendScans();
    } catch (e) { /* offline: keep what we have */ }
    showStatus();
  }

  function listAgeHours() {
    const lists = Object.values(load(STORE.revocations, {}));
    if (!lists.length) return null;
    return (Date.now() - Math.min(...lists.map((l) => Date.parse(l.issued_at)))) / 3600000;
  }

  function showStatus() {
    const age = listAgeHours();
    const status = document.getElementById("list-age");
    const warn = age === null || age > maxAgeHours;
    status.textContent = age === null ? T.no_list : T.list_age.replace("%(hours)s", age.toFixed(1));
    status.dataset.stale = warn ? "true" : "false";
    status.className = warn ? "alert error" : "hint";
    document.getElementById("net").textContent = navigator.onLine ? T.online : T.offline;
    document.getElementById("pending").textContent = T.pending.replace("%(count)s", load(STORE.scans, []).length);
  }

  // ---- the scan log: kept on the device, sent when online ----
  function deviceId() {
    let id = localStorage.getItem(STORE.device);
    if (!id) { id = crypto.randomUUID(); localStorage.setItem(STORE.device, id); }
    return id;
  }

  function logScan(result) {
    const post = load(STORE.post, {});
    const scans = load(STORE.scans, []);
    scans.push({ id: crypto.randomUUID(), device_id: deviceId(), pass_id: result.claims ? result.claims.pass_id : null,
      scanned_at: new Date().toISOString(), airport: post.airport || "", zone: post.zone || "",
      verdict: result.reason, holder: result.claims ? String(result.claims.holder_native || "").slice(0, 200) : "" });
    save(STORE.scans, scans.slice(-5000));
  }

  async function sendScans() {
    const scans = load(STORE.scans, []);
    if (!scans.length || !navigator.onLine) return;
    const batch = scans.slice(0, 500);
    const answer = await fetch("/api/v1/passes/scans", { method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf },
      body: JSON.stringify({ scans: batch }) });
    if (answer.ok) {
      const sent = new Set(batch.map((s) => s.id));
      save(STORE.scans, load(STORE.scans, []).filter((s) => !sent.has(s.id)));
    }
  }

  // ---- showing a result ----
  function show(result) {
    const box = document.getElementById("result");
    box.hidden = false;
    box.dataset.verdict = result.reason === "valid" ? "valid" : "invalid";
    box.dataset.reason = result.reason;
    box.className = "verdict-box " + (result.reason === "valid" ? "ok" : "bad");
    document.getElementById("verdict").textContent = T.reasons[result.reason] || result.reason;
    const c = result.claims;
    const facts = document.getElementById("facts");
    facts.replaceChildren();
    if (!c) return;
    const rows = [[T.holder, c.holder_native], [T.mrz, c.holder_mrz], [T.accreditation, c.accreditation + " · " + c.home_state],
      [T.where, c.airports.join(", ") + (c.terminal ? " " + c.terminal : "") + " · " + c.zones.map((z) => T.zones[z] || z).join(", ")],
      [T.valid, new Date(c.valid_from).toLocaleString() + " – " + new Date(c.valid_until).toLocaleString()],
      [T.purpose, c.purpose], [T.issuer, c.issuing_state + " · " + c.pass_id]];
    for (const [label, value] of rows) {
      const dt = document.createElement("dt"); dt.textContent = label;
      const dd = document.createElement("dd"); dd.textContent = value;
      facts.append(dt, dd);
    }
  }

  async function handle(text) {
    const started = performance.now();
    const result = await check(text);
    root.dataset.lastMs = String(performance.now() - started);
    show(result);
    logScan(result);
    showStatus();
    if (navigator.onLine) sendScans().then(showStatus, () => {});
    return result;
  }

  // ---- camera: BarcodeDetector where the browser has one, else the vendored jsQR ----
  let scanning = false;
  async function startCamera() {
    const video = document.getElementById("camera");
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream; video.hidden = false; await video.play();
    scanning = true;
    const detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    let last = "";
    const tick = async () => {
      if (!scanning) return;
      let text = null;
      if (video.videoWidth) {
        if (detector) { const found = await detector.detect(video); text = found.length ? found[0].rawValue : null; }
        else {
          canvas.width = video.videoWidth; canvas.height = video.videoHeight;
          ctx.drawImage(video, 0, 0);
          const code = window.jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: "dontInvert" });
          text = code ? code.data : null;
        }
      }
      if (text && text !== last) { last = text; await handle(text); }
      setTimeout(tick, 150);
    };
    tick();
  }

  // ---- wiring ----
  const post = load(STORE.post, {});
  const airport = document.getElementById("post-airport"), zone = document.getElementById("post-zone");
  airport.value = post.airport || root.dataset.defaultAirport || "";
  zone.value = post.zone || "";
  const savePost = () => save(STORE.post, { airport: airport.value.trim().toUpperCase(), zone: zone.value });
  savePost();
  airport.addEventListener("change", savePost); zone.addEventListener("change", savePost);
  document.getElementById("paste-form").addEventListener("submit", (e) => {
    e.preventDefault(); handle(document.getElementById("pass-text").value);
  });
  document.getElementById("camera-start").addEventListener("click", () => startCamera().catch((e) => {
    document.getElementById("camera-error").textContent = T.no_camera + " " + e.name;
  }));
  document.getElementById("sync").addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.kervanVerifier = { check, handle, sync, startCamera };
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/verify/sw.js", { scope: "/verify" }).then(() => navigator.serviceWorker.ready)
      .then(() => { root.dataset.installed = "true"; }, () => {});
  }
  showStatus();
  root.dataset.ready = "true";
  if (navigator.onLine) sync().then(() => { root.dataset.synced = "true"; });
  setInterval(() => { if (navigator.onLine) sync(); }, 60000);
})();
