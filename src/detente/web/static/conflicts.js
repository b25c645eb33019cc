// Review buttons: the web UI's only write. Sends JSON so that other sites cannot forge it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("section.conflict").forEach((section) => {
    const result = section.querySelector(".review-result");
    const status = section.querySelector(".status");
    section.querySelectorAll(".review-button").forEach((button) => button.addEventListener("click", async () => {
      const note = section.querySelector(".review-note").value || null;
      const response = await fetch("/api/conflicts/" + encodeURIComponent(section.dataset.conflictId) + "/review", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ status: button.dataset.status, note }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) { result.textContent = "not saved: " + (body.detail || response.status); return; }
      status.textContent = button.dataset.status;
      status.className = "status status-" + button.dataset.status;
      result.textContent = "saved";
    }));
  });
});
