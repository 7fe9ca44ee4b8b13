// The statement card on a conversation page: vote, and the next statement appears at once.
//
// Without this file the card is a plain form (one page load a vote). With it:
// - Every click is a vote on the statement shown at that moment. It goes into an outbox, sent
//   one request at a time (the first vote also creates the participant and sets their cookie,
//   so votes must never race each other), and none is dropped while another is on its way.
// - The next statement is taken from a short list fetched ahead (votes.json?upcoming=N), so a
//   quick voter need not wait for each vote to be saved. Each saved vote brings a fresh list.
// - If the list is empty, the buttons are disabled, the card is aria-busy and the status says
//   "Saving your vote" until the answer brings the next statement: the buttons never look live
//   when a click could not be taken.
// - A vote the server refuses (the statement was withdrawn, the conversation closed) says so on
//   the card; if votes cannot be saved at all, the first unsaved statement comes back, so
//   nothing is lost without the person being told.
// Text shown to people comes from the page (data-*-text, translated on the server).

const AHEAD = 5;
const RETRIES = [1000, 3000]; // waits before trying a failed request again (network errors)

function init(card) {
  const form = card.querySelector("form[data-vote-form]");
  if (!form || card.dataset.mobiliseVoteCardInit) return;
  card.dataset.mobiliseVoteCardInit = "true";

  const url = card.dataset.votesUrl;
  const statementInput = form.querySelector("input[name='statement']");
  const textEl = form.querySelector("[data-statement-text]");
  const buttons = [...form.querySelectorAll("button[name='vote']")];
  const status = card.querySelector("[data-vote-status]");
  const errorEl = card.querySelector("[data-vote-error]");
  const doneTemplate = card.querySelector("template[data-vote-done]");
  const csrf = form.querySelector("input[name='csrfmiddlewaretoken']")?.value || "";

  let current = { id: Number(statementInput.value), text: textEl.textContent };
  let upcoming = [];
  let finished = false; // the server has said there is nothing more to vote on
  let progressText = status.textContent;
  const outbox = []; // votes clicked but not yet saved: {id, text, vote}
  const voted = new Set(); // statements voted on in this page, saved or not
  let sending = false;

  function setBusy(busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    for (const button of buttons) {
      button.disabled = busy;
      if (busy) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }
  }

  function showStatus() {
    status.textContent = outbox.length ? card.dataset.savingText : progressText;
  }

  function showError(message) {
    errorEl.hidden = !message;
    errorEl.replaceChildren();
    if (message) {
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = `${card.dataset.errorPrefix}: `;
      errorEl.append(hidden, message);
    }
  }

  function show(statement) {
    current = statement;
    statementInput.value = String(statement.id);
    textEl.textContent = statement.text;
    setBusy(false);
    textEl.focus(); // keyboard and screen-reader users hear the new statement
  }

  function showDone() {
    form.replaceWith(doneTemplate.content.cloneNode(true));
    card.querySelector("[data-focus-after-swap]")?.focus();
  }

  // What to show now that `current` has been voted on (or came back unsaved).
  function advance() {
    upcoming = upcoming.filter((s) => !voted.has(s.id));
    if (upcoming.length) {
      show(upcoming.shift());
    } else if (finished && !outbox.length && !sending) {
      showDone();
    } else {
      current = null;
      setBusy(true);
      status.textContent = card.dataset.savingText;
    }
  }

  function take(payload) {
    if (!payload || !Array.isArray(payload.upcoming)) return;
    const held = new Set([...voted, ...(current ? [current.id] : [])]);
    upcoming = payload.upcoming.filter((s) => !held.has(s.id));
    finished = payload.upcoming.length === 0;
    if (payload.progress) progressText = payload.progress;
  }

  async function request(init) {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(init.url, {
          method: init.method,
          headers: { Accept: "application/json", "X-CSRFToken": csrf },
          body: init.body,
          credentials: "same-origin",
        });
        if (response.status >= 500 && attempt < RETRIES.length) throw new Error("server");
        let payload = null;
        try {
          payload = await response.json();
        } catch {
          payload = null;
        }
        return { ok: response.ok, status: response.status, payload };
      } catch (error) {
        if (attempt >= RETRIES.length) return { ok: false, status: 0, payload: null };
        await new Promise((resolve) => setTimeout(resolve, RETRIES[attempt]));
      }
    }
  }

  // The votes could not be saved: bring back the first unsaved statement, and say so.
  function giveBack(message) {
    const unsaved = outbox.splice(0);
    for (const vote of unsaved) voted.delete(vote.id);
    const back = unsaved.map(({ id, text }) => ({ id, text }));
    if (current) back.push(current);
    upcoming = [...back.slice(1), ...upcoming.filter((s) => !back.some((b) => b.id === s.id))];
    showError(message);
    if (back.length) show(back[0]);
    showStatus();
  }

  async function drain() {
    if (sending) return;
    sending = true;
    while (outbox.length) {
      const vote = outbox[0];
      const body = new URLSearchParams({
        statement: String(vote.id),
        vote: String(vote.vote),
        upcoming: String(AHEAD),
        exclude: outbox
          .slice(1)
          .map((v) => v.id)
          .concat(current ? [current.id] : [])
          .join(","),
      });
      const answer = await request({ url, method: "POST", body });
      if (answer.ok) {
        outbox.shift();
        take(answer.payload);
      } else if (answer.status === 400) {
        // This one statement cannot take a vote (withdrawn, or the conversation closed): say
        // so and carry on with the rest.
        outbox.shift();
        showError(answer.payload?.message || card.dataset.failedText);
      } else {
        sending = false;
        giveBack(answer.payload?.message || card.dataset.failedText);
        return;
      }
      if (!current) advance();
      showStatus();
    }
    sending = false;
    if (!current && !upcoming.length && !finished) await refill();
    if (!current) advance();
    showStatus();
  }

  // A fresh list of what to vote on next (on the page's first load, or when a refused vote
  // left the page with nothing to show). Ignored if a vote has been clicked meanwhile: every
  // saved vote brings its own list.
  async function refill() {
    const ids = current ? [current.id] : [];
    const answer = await request({
      url: `${url}?upcoming=${AHEAD}&exclude=${ids.join(",")}`,
      method: "GET",
    });
    if (answer.ok && !outbox.length && !sending) take(answer.payload);
    else if (!answer.ok && !current && !outbox.length) giveBack(card.dataset.failedText);
  }

  // Leaving the page while votes are still on their way would lose them: the browser asks.
  window.addEventListener("beforeunload", (event) => {
    if (outbox.length) event.preventDefault();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = event.submitter?.value;
    if (!current || value === undefined || !buttons.includes(event.submitter)) return;
    showError("");
    voted.add(current.id);
    outbox.push({ id: current.id, text: current.text, vote: Number(value) });
    current = null;
    advance();
    showStatus();
    drain();
  });

  refill();
}

for (const card of document.querySelectorAll("[data-module='mobilise-vote-card']")) init(card);
