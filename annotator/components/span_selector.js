// The browser half of span_selector.py: draws the article from Python's payload and reports what
// the editor does, as trigger values (one per mouseup):
//   "select": {start: [segmentStart, utf16Offset], end: [segmentStart, utf16Offset]}
//   "open":   the id of the innermost highlight clicked
// segmentStart is the Python offset of a segment's first character; Python turns the UTF-16 offset
// into code points, so no offset arithmetic happens here.

// Streamlit calls this module's default export again whenever `data` changes, with the same
// parentElement, and keeps only the last cleanup it is given (run on unmount). So listeners are
// installed once per parentElement and the same cleanup is returned every time.
const instances = new WeakMap();

export default function spanSelector({ data, parentElement, setTriggerValue }) {
  if (data.guard) return guardUnsavedForm(parentElement, data.guard);
  let instance = instances.get(parentElement);
  if (instance === undefined) {
    instance = mount(parentElement);
    instances.set(parentElement, instance);
  }
  instance.setTriggerValue = setTriggerValue;
  if (instance.data !== data) {
    draw(instance, data);
    instance.data = data;
  }
  return instance.cleanup;
}

function mount(parentElement) {
  const article = document.createElement("div");
  article.className = "ss-article";
  article.dataset.testid = "span-selector";
  parentElement.appendChild(article);

  const instance = { article, data: null, segments: [], pressed: false, setTriggerValue: null };
  article.addEventListener("mousedown", (event) => {
    instance.pressed = event.button === 0;
  });
  // On the document, so a drag released outside the article still counts.
  const onMouseUp = (event) => {
    if (!instance.pressed || event.button !== 0) return;
    instance.pressed = false;
    report(instance, event);
  };
  document.addEventListener("mouseup", onMouseUp);
  instance.cleanup = () => {
    document.removeEventListener("mouseup", onMouseUp);
    article.remove();
    instances.delete(parentElement);
  };
  return instance;
}

// --- drawing ------------------------------------------------------------------------------------

function draw(instance, data) {
  const began = performance.now();
  const fragment = document.createDocumentFragment();
  const segments = [];
  for (const paragraph of data.paragraphs) {
    const p = document.createElement("p");
    p.className = "ss-paragraph";
    for (const item of paragraph) {
      let holder = p;
      if (item.n !== null) {
        // The number is drawn by CSS (::before), so it is never part of a selection or of offsets.
        holder = document.createElement("span");
        holder.className = "ss-sentence";
        holder.dataset.n = String(item.n);
        p.appendChild(holder);
      }
      for (const [start, text, stack] of item.segments) {
        const span = segmentElement(start, text, stack, data.highlights);
        holder.appendChild(span);
        segments.push(span);
      }
    }
    fragment.appendChild(p);
  }
  instance.article.replaceChildren(fragment);
  instance.segments = segments;
  // Reading offsetHeight forces layout now, so the figure covers it; tests and benchmarks read it.
  void instance.article.offsetHeight;
  instance.article.dataset.drawMs = (performance.now() - began).toFixed(1);
}

function segmentElement(start, text, stack, highlights) {
  const span = document.createElement("span");
  span.className = "ss-seg";
  span.dataset.start = String(start);
  span.textContent = text; // never innerHTML: article text is untrusted
  if (stack.length === 0) return span;

  const covering = stack.map((index) => highlights[index]); // outermost first
  const innermost = covering[covering.length - 1];
  const claim = covering.findLast((h) => h.kind === "claim");
  const suggestion = covering.findLast((h) => h.kind === "suggestion");
  span.classList.add("ss-hl");
  if (claim) {
    span.classList.add("ss-claim");
    span.style.setProperty("--ss-claim", claim.color);
  }
  if (suggestion) {
    span.classList.add("ss-suggestion");
    span.style.setProperty("--ss-suggestion", suggestion.color);
  }
  if (covering.length > 1) {
    span.dataset.depth = String(covering.length);
    // A claim the background does not show gets a line along the top. Nested suggestions do not:
    // whole-sentence suggestions would put a line over most of the article; the innermost one is
    // underlined and every one is listed in the tooltip and in the keyboard picker.
    const hidden = covering.filter((h) => h.kind === "claim" && h !== claim);
    if (hidden.length > 0) {
      span.classList.add("ss-overlap");
      span.style.setProperty("--ss-outer", hidden[hidden.length - 1].color);
    }
  }
  span.dataset.open = innermost.id;
  span.dataset.kind = innermost.kind;
  if (covering.some((h) => h.selected)) span.classList.add("ss-selected");
  span.title = covering
    .map((h) => h.label || h.id)
    .reverse()
    .join("\n");
  // No tabindex: in Chromium a drag that starts on a focusable element selects nothing.
  return span;
}

// --- reporting ----------------------------------------------------------------------------------

function report(instance, event) {
  const range = selectedRange(instance.article);
  if (range !== null && !range.collapsed) {
    const start = boundaryPoint(instance, range.startContainer, range.startOffset, true);
    const end = boundaryPoint(instance, range.endContainer, range.endOffset, false);
    if (start !== null && end !== null) {
      instance.setTriggerValue("select", { start, end });
    }
    return;
  }
  // composedPath() sees inside our (open) shadow root; event.target is retargeted to its host.
  const clicked = event
    .composedPath()
    .find((node) => node instanceof HTMLElement && node.dataset.open && instance.article.contains(node));
  if (clicked) instance.setTriggerValue("open", clicked.dataset.open);
}

// The component lives in a shadow root: Chromium exposes the selection inside it only through
// shadowRoot.getSelection(); other browsers through getComposedRanges().
function selectedRange(article) {
  const root = article.getRootNode();
  if (typeof root.getSelection === "function") {
    const selection = root.getSelection();
    return selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  }
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  if (root instanceof ShadowRoot && typeof selection.getComposedRanges === "function") {
    const ranges = selection.getComposedRanges({ shadowRoots: [root] });
    return ranges.length > 0 ? ranges[0] : null;
  }
  return selection.getRangeAt(0);
}

// A range boundary as [segment start, UTF-16 offset into that segment], or null if no segment
// lies on the inner side of it. Boundaries outside segment text (a paragraph edge, the space a
// sentence number takes) move inwards to the nearest segment edge.
function boundaryPoint(instance, node, offset, isStart) {
  if (node.getRootNode() !== instance.article.getRootNode()) return null;
  const holder = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (holder instanceof HTMLElement && holder.classList.contains("ss-seg")) {
    const start = Number(holder.dataset.start);
    if (node.nodeType === Node.TEXT_NODE) return [start, offset];
    return [start, offset === 0 ? 0 : holder.textContent.length];
  }
  const segments = instance.segments;
  const point = document.createRange();
  point.setStart(node, offset);
  point.collapse(true);
  // How many segments start before the point (they are in document order).
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (point.comparePoint(segments[middle], 0) < 0) low = middle + 1;
    else high = middle;
  }
  if (isStart) {
    return low < segments.length ? [Number(segments[low].dataset.start), 0] : null;
  }
  if (low === 0) return null;
  const last = segments[low - 1];
  return [Number(last.dataset.start), last.textContent.length];
}

// --- guard mode: the unsaved claim form --------------------------------------------------------------
// Python says whether any form holds unsaved values (`dirty`) and names the form it drew (`form`).
// Typing in the container with class `scope` since Python last said so counts too: Streamlit sends
// a text box's value only when it loses focus, so words typed just before a reload are not dirty
// to Python yet. `focus`: a counter; when it changes to a positive number, focus moves to the
// first field of the container.

const guards = new WeakMap();

function guardUnsavedForm(parentElement, { form, dirty, scope, focus }) {
  let guard = guards.get(parentElement);
  if (guard === undefined) {
    guard = { form, dirty, scope, typed: false, focus: 0 };
    guard.onBeforeUnload = (event) => {
      if (!guard.dirty && !guard.typed) return;
      event.preventDefault();
      event.returnValue = ""; // older Chromium needs it set to show the prompt
    };
    guard.onInput = (event) => {
      const inScope = event
        .composedPath()
        .some((node) => node instanceof HTMLElement && node.classList.contains(guard.scope));
      if (inScope) guard.typed = true;
    };
    window.addEventListener("beforeunload", guard.onBeforeUnload);
    document.addEventListener("input", guard.onInput, true);
    guard.cleanup = () => {
      window.removeEventListener("beforeunload", guard.onBeforeUnload);
      document.removeEventListener("input", guard.onInput, true);
      guards.delete(parentElement);
    };
    guards.set(parentElement, guard);
  }
  // What Python says now covers everything typed before it: start counting typing afresh.
  Object.assign(guard, { form, dirty, scope, typed: false });
  if (focus > 0 && focus !== guard.focus) focusFirstField(scope, 0);
  guard.focus = focus;
  return guard.cleanup;
}

// The form may be drawn a few frames after this component: try for about a second.
function focusFirstField(scope, attempt) {
  const field = document.querySelector(
    `.${scope} input:not([type="hidden"]):not([disabled]), .${scope} textarea:not([disabled])`
  );
  if (field) {
    field.focus({ preventScroll: false });
    field.scrollIntoView({ block: "nearest" });
  } else if (attempt < 60) {
    requestAnimationFrame(() => focusFirstField(scope, attempt + 1));
  }
}
