// Shows the print buttons and lets them open the browser's print dialog. Without
// JavaScript the buttons stay hidden and the page prints from the browser menu.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
