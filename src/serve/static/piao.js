// piao serve: the only script of the pages. Everything works without it;
// it adds the drop area and, in local mode, updates the page after every save.
"use strict";
(function () {
  var zona = document.getElementById("zona");
  var campo = document.getElementById("file");
  var modulo = document.getElementById("modulo-carica");
  if (zona && campo && modulo) {
    ["dragenter", "dragover"].forEach(function (e) {
      zona.addEventListener(e, function (ev) { ev.preventDefault(); zona.classList.add("sopra"); });
    });
    ["dragleave", "drop"].forEach(function (e) {
      zona.addEventListener(e, function () { zona.classList.remove("sopra"); });
    });
    zona.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length > 0) {
        campo.files = ev.dataTransfer.files;
        modulo.submit();
      }
    });
  }
  var eventi = document.body.getAttribute("data-eventi");
  if (!eventi || !window.EventSource) { return; }
  var fonte = new EventSource(eventi);
  fonte.addEventListener("versione", function (ev) {
    var dati;
    try { dati = JSON.parse(ev.data); } catch (e) { return; }
    var attuale = document.getElementById("versione");
    // A version page of the same plan (or of the watched file, whatever its
    // plan now) follows the new version; the home page reloads its list.
    var url = attuale ? "/versione/" + encodeURIComponent(dati.id) : "/";
    var stessoPiano = attuale && attuale.getAttribute("data-piano") === dati.piano;
    var stessoFile = attuale && attuale.getAttribute("data-locale") === "true" && dati.locale;
    if (attuale && !stessoPiano && !stessoFile) { return; }
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var nuovo = new DOMParser().parseFromString(html, "text/html");
      var main = nuovo.getElementById("contenuto");
      if (!main) { return; }
      document.getElementById("contenuto").replaceChildren.apply(
        document.getElementById("contenuto"), Array.prototype.slice.call(main.childNodes).map(function (n) {
          return document.importNode(n, true);
        }));
      document.title = nuovo.title;
      if (attuale) { history.replaceState(null, "", url); }
      var annuncio = document.getElementById("annuncio");
      if (annuncio) { annuncio.textContent = "Pagina aggiornata: " + dati.esito; }
    });
  });
})();
