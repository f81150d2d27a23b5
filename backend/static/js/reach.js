// The morning list's one tap: the tel:/sms: link opens as usual, and the attempt is recorded at
// the same moment; then the page asks "Fik du fat i …?". Without this file the links still dial.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("a[data-attempt-url]").forEach(function (link) {
    link.addEventListener("click", function () {
      var body = new FormData();
      body.append("csrf_token", link.dataset.csrf);
      body.append("mutation_id", link.dataset.mutationId);
      body.append("method", link.dataset.method);
      fetch(link.dataset.attemptUrl, {method: "POST", body: body, credentials: "same-origin", keepalive: true,
                                      headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.id) {
            window.setTimeout(function () { window.location.href = "/morning?ask=" + data.id + "#ask"; }, 500);
          } else if (data.error) {
            window.alert(data.error);
          }
        });
    });
  });
});
