// Engaged time: while a step page is visible and its reader active, tell the server
// every half minute. The request carries no time: the server credits from its own clock
// and never more than a minute per beat, so a second tab adds nothing.
(function () {
  var page = document.querySelector("[data-engaged-url]");
  if (!page || !window.fetch) { return; }
  var url = page.dataset.engagedUrl;
  var headers = {};
  try { headers = JSON.parse(document.body.dataset.hxHeaders || "{}"); } catch (e) { headers = {}; }
  var BEAT_MS = 30000;
  var IDLE_MS = 120000;
  var lastActive = Date.now();
  ["pointerdown", "pointermove", "keydown", "scroll", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, function () { lastActive = Date.now(); }, { passive: true });
  });
  function playing() {
    return Array.prototype.some.call(document.querySelectorAll("video, audio"), function (media) {
      return !media.paused && !media.ended;
    });
  }
  window.setInterval(function () {
    if (document.visibilityState !== "visible") { return; }
    if (Date.now() - lastActive > IDLE_MS && !playing()) { return; }
    window.fetch(url, { method: "POST", headers: headers, credentials: "same-origin" })
      .catch(function () { /* offline: the next beat tries again */ });
  }, BEAT_MS);
}());
