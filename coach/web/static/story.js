// The story page is long: a failure said at the top (a save refused, a job that failed) is brought into view, so
// a person editing at the bottom sees it. Their text stays where it was.
"use strict";
(function () {
  const flash = document.getElementById("flash");
  if (!flash) return;
  new MutationObserver(() => {
    if (flash.classList.contains("shown") && flash.textContent.trim()) {
      flash.scrollIntoView({ block: "center", behavior: "instant" });
    }
  }).observe(flash, { childList: true, characterData: true, subtree: true, attributes: true });
})();
