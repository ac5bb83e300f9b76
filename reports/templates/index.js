(function () {
  var table = document.getElementById("packets");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("f-text");
  var status = document.getElementById("f-status");
  var code = document.getElementById("f-code");
  var shown = document.getElementById("shown");

  function apply() {
    var text = search.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var ok = (!text || row.getAttribute("data-search").indexOf(text) >= 0) &&
        (!status.value || row.getAttribute("data-status") === status.value) &&
        (!code.value || (" " + row.getAttribute("data-codes") + " ").indexOf(" " + code.value + " ") >= 0);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
  }

  function sortBy(th) {
    var index = th.cellIndex;
    var numeric = th.getAttribute("data-type") === "number";
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-sort") || a.cells[index].textContent;
      var y = b.cells[index].getAttribute("data-sort") || b.cells[index].textContent;
      if (numeric) { return dir * (parseFloat(x || "0") - parseFloat(y || "0")); }
      return dir * x.localeCompare(y, "zh-CN");
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (event) { if (event.key === "Enter") { sortBy(th); } });
  });
  [search, status, code].forEach(function (el) { el.addEventListener("input", apply); });
  var sorter = document.getElementById("f-sort");
  sorter.addEventListener("input", function () {
    if (sorter.value !== "") { sortBy(table.tHead.rows[0].cells[parseInt(sorter.value, 10)]); }
  });
  apply();
})();
