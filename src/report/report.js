// Click a word, a section or a marker to hear that moment; the playhead and
// the current word follow the audio. No network, no dependencies.
(function () {
  "use strict";
  var audio = document.getElementById("take");
  var duration = parseFloat(document.body.getAttribute("data-duration")) || 0;
  var head = document.getElementById("playhead");
  var words = Array.prototype.slice.call(document.querySelectorAll(".w[data-start]"));
  var starts = words.map(function (w) { return parseFloat(w.getAttribute("data-start")); });
  var current = null;

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-start]") : null;
    if (!target || !audio) return;
    var start = parseFloat(target.getAttribute("data-start"));
    if (!isFinite(start)) return;
    audio.currentTime = Math.max(0, start);
    var played = audio.play();
    if (played && played.catch) played.catch(function () { /* autoplay refused: the seek still happened */ });
  });

  function follow() {
    if (!audio) return;
    var t = audio.currentTime;
    if (head && duration > 0) head.style.left = Math.min(100, t / duration * 100) + "%";
    // Last word starting at or before t (binary search).
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t + 0.01) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var next = found >= 0 ? words[found] : null;
    if (next !== current) {
      if (current) current.classList.remove("now");
      if (next) next.classList.add("now");
      current = next;
    }
  }
  if (audio) {
    audio.addEventListener("timeupdate", follow);
    audio.addEventListener("seeked", follow);
  }
})();
