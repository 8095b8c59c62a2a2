// storyline: a little JavaScript over server-rendered pages. Everything works without it;
// with it, selecting a fact swaps its evidence into the side panel without reloading.
"use strict";

(function () {
  const panel = document.getElementById("evidence");

  function markSelected(factId) {
    document.querySelectorAll(".tl-row.selected, .matrix tr.selected").forEach((el) => el.classList.remove("selected"));
    if (!factId) return;
    document.querySelectorAll("[data-fact]").forEach((el) => {
      if (el.dataset.fact !== factId) return;
      if (el.classList.contains("tl-row")) el.classList.add("selected");
      const row = el.closest(".matrix tr");
      if (row) row.classList.add("selected");
    });
  }

  async function showFact(storyId, factId, push) {
    const url = "/stories/" + encodeURIComponent(storyId) + "/facts/" + encodeURIComponent(factId);
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return false;
    // the fragment is rendered by our own server with every article-derived value escaped
    panel.innerHTML = await response.text();
    panel.scrollTop = 0;
    markSelected(factId);
    if (push) {
      const next = new URL(window.location.href);
      next.searchParams.set("fact", factId);
      next.hash = "evidence";
      history.pushState({ fact: factId, story: storyId }, "", next);
    }
    if (window.matchMedia("(max-width: 1100px)").matches) panel.scrollIntoView({ behavior: "smooth" });
    const first = panel.querySelector("mark.evidence");
    if (first) first.scrollIntoView({ block: "nearest" });
    syncAuthors();
    return true;
  }

  if (panel) {
    document.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-fact][data-story]");
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      showFact(link.dataset.story, link.dataset.fact, true).then((ok) => {
        if (!ok) window.location.href = link.href;
      });
    });
    window.addEventListener("popstate", (event) => {
      if (event.state && event.state.fact) showFact(event.state.story, event.state.fact, false);
      else window.location.reload();
    });
  }

  // j / k step through the facts in reading order (the order is embedded as JSON by the server)
  const data = document.getElementById("story-data");
  if (panel && data) {
    const story = JSON.parse(data.textContent);
    document.addEventListener("keydown", (event) => {
      if (event.target.closest("input, textarea, select") || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key !== "j" && event.key !== "k") return;
      const current = new URL(window.location.href).searchParams.get("fact");
      let index = story.facts.indexOf(current);
      index = event.key === "j" ? Math.min(index + 1, story.facts.length - 1) : Math.max(index - 1, 0);
      if (story.facts[index] !== undefined && story.facts[index] !== current) showFact(story.story, story.facts[index], true);
    });
  }

  // one author name for every decision form on the page (the server remembers it in a cookie)
  function syncAuthors() {
    const inputs = document.querySelectorAll('form.decision input[name="author"]');
    inputs.forEach((input) => {
      input.addEventListener("input", () => {
        inputs.forEach((other) => {
          if (other !== input) other.value = input.value;
        });
      });
    });
  }
  syncAuthors();

  // on an article page opened from evidence, bring the first highlighted passage into view
  const target = document.getElementById("mark-0");
  if (target && window.location.hash === "#mark-0") target.scrollIntoView({ block: "center" });
})();
