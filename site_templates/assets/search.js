// Progressive enhancement: the search page works as a list of links without JavaScript.
(function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") { return; }
  new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-bundle"),
    showImages: false,
    resetStyles: false,
    translations: { placeholder: box.getAttribute("data-placeholder") }
  });
  var fallback = document.getElementById("search-fallback");
  if (fallback) { fallback.hidden = true; }
})();
