/*
 * figures.js: draws the interactive figures of Understanding Attention.
 *
 * hooks/figures.py writes one box per figure: <figure class="ua-figure"> holding a
 * plot div whose final height is already set, with the figure's JSON at
 * data-figure-src (a URL relative to the page) or inline in data-figure-json.
 * For every page Material shows (the first load and each instant-navigation swap,
 * both announced by its document$ observable) this script
 *   1. waits until a box is in the window or, once the reader has scrolled,
 *      within LOAD_MARGIN of it;
 *   2. loads plotly.js from this site, once per visit, with one <script> tag;
 *   3. draws the figure in the reader's palette and marks the box
 *      data-drawn="true", or data-error="..." with a visible message;
 *   4. re-colours drawn plots when the palette toggle flips, and resizes them
 *      with their container.
 * It also makes the figures usable without a mouse or a screen: the plot is
 * described by the caption and the text version below it (aria-describedby,
 * aria-details); once a plot is drawn its box fires "ua:figure-drawn", on
 * which figure-controls.js makes its sliders and menus work from the
 * keyboard; and slider transitions are switched off for readers who ask for
 * reduced motion, as is the stylesheet's fade-in.
 */
(() => {
  "use strict";

  const LOAD_MARGIN = "600px 0px";

  // document.currentScript is only set while this file runs, so resolve now.
  const PLOTLY_URL = new URL(
    "../vendor/plotly/plotly.min.js",
    document.currentScript.src,
  ).href;

  const PLOT_CONFIG = {
    responsive: true,
    // Figure text is shown as written: math.js's MathJax stand-in cannot
    // typeset plotly.js labels, which would otherwise be read as TeX between $.
    typesetMath: false,
    displaylogo: false,
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    // Every axis is fixed, so selecting and zooming do nothing: keep only the
    // download button, which is reachable with the keyboard.
    modeBarButtonsToRemove: ["select2d", "lasso2d", "zoom2d", "pan2d"],
  };

  // Below this container width the figure's own margins and fonts shrink
  // (a 360 px phone leaves about 340 px for the plot).
  const NARROW_WIDTH = 480;

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  const drawnPlots = new Set();
  const started = new WeakSet();
  let plotlyLoading = null;
  let nearViewport = null;
  let stopWatchingScroll = null;

  function loadPlotly() {
    if (window.Plotly) {
      return Promise.resolve(window.Plotly);
    }
    if (!plotlyLoading) {
      plotlyLoading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = PLOTLY_URL;
        script.async = true;
        script.onload = () =>
          window.Plotly
            ? resolve(window.Plotly)
            : reject(new Error(`${PLOTLY_URL} defined no Plotly object`));
        script.onerror = () => {
          // Let a later page try again rather than fail every figure for good.
          script.remove();
          plotlyLoading = null;
          reject(new Error(`could not load ${PLOTLY_URL}`));
        };
        document.head.appendChild(script);
      });
    }
    return plotlyLoading;
  }

  function readFigure(box) {
    const inline = box.getAttribute("data-figure-json");
    if (inline !== null) {
      return Promise.resolve().then(() => JSON.parse(inline));
    }
    const src = box.getAttribute("data-figure-src");
    if (!src) {
      return Promise.reject(
        new Error("the box has neither data-figure-src nor data-figure-json"),
      );
    }
    // After an instant-navigation swap the page URL has changed: resolve now.
    const url = new URL(src, window.location.href);
    return fetch(url).then((response) => {
      if (!response.ok) {
        throw new Error(`GET ${url} answered ${response.status}`);
      }
      return response.json();
    });
  }

  // Material's palette lives in CSS custom properties; a probe element turns
  // them into colours plotly.js can parse, whatever syntax the theme uses.
  function paletteColour(property) {
    const probe = document.createElement("span");
    probe.hidden = true;
    probe.style.color = `var(${property})`;
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }

  function axisNames(layout) {
    const names = Object.keys(layout || {}).filter((key) =>
      /^[xy]axis\d*$/.test(key),
    );
    return names.length ? names : ["xaxis", "yaxis"];
  }

  // Returns a Plotly.relayout update: dotted attribute paths to colours.
  function themeUpdate(layout) {
    const text = paletteColour("--md-default-fg-color");
    const faint = paletteColour("--md-default-fg-color--lightest");
    const muted = paletteColour("--md-default-fg-color--lighter");
    const update = {
      "font.color": text,
      "hoverlabel.bgcolor": paletteColour("--md-default-bg-color"),
      "hoverlabel.bordercolor": muted,
      "hoverlabel.font.color": text,
      "modebar.bgcolor": "rgba(0, 0, 0, 0)",
      "modebar.color": muted,
      "modebar.activecolor": text,
    };
    for (const axis of axisNames(layout)) {
      update[`${axis}.gridcolor`] = faint;
      update[`${axis}.zerolinecolor`] = muted;
      update[`${axis}.linecolor`] = muted;
    }
    return update;
  }

  function withUpdate(layout, update) {
    const copy = structuredClone(layout || {});
    for (const [path, value] of Object.entries(update)) {
      const keys = path.split(".");
      const last = keys.pop();
      let node = copy;
      for (const key of keys) {
        if (typeof node[key] !== "object" || node[key] === null) {
          node[key] = {};
        }
        node = node[key];
      }
      node[last] = value;
    }
    return copy;
  }

  function showError(box, plot, error) {
    const message = error && error.message ? error.message : String(error);
    const id = box.getAttribute("data-figure-id") || box.id || "(no id)";
    console.error(`figures.js: figure '${id}' was not drawn: ${message}`, error);
    box.setAttribute("data-error", message);
    const note = document.createElement("p");
    note.className = "ua-figure__error";
    note.setAttribute("role", "status");
    note.textContent =
      `This interactive figure could not be drawn (${message}). ` +
      "The caption and the text version below still describe it.";
    if (plot && !plot.hasChildNodes()) {
      plot.appendChild(note);
    } else {
      box.insertBefore(note, box.firstChild);
    }
  }

  // Widths only: the height is fixed by the box's inline style.
  const lastWidth = new WeakMap();
  let resizeFrame = 0;
  const resizer = new ResizeObserver((entries) => {
    let changed = false;
    for (const entry of entries) {
      const width = Math.round(entry.contentRect.width);
      const before = lastWidth.get(entry.target);
      changed ||= before !== undefined && before !== width;
      lastWidth.set(entry.target, width);
    }
    // One resize per frame, outside the observer callback, avoids the
    // "ResizeObserver loop" warning when a resize changes layout again.
    if (changed && !resizeFrame) {
      resizeFrame = requestAnimationFrame(() => {
        resizeFrame = 0;
        for (const plot of drawnPlots) {
          if (plot.isConnected) {
            fitToWidth(plot)
              .then(() => window.Plotly.Plots.resize(plot))
              .catch((error) => console.error("figures.js: resize failed", error));
          }
        }
      });
    }
  });

  // The text version and the caption describe the plot; screen readers reach
  // them from the plot itself. Ids derive from the box's id, unique per page.
  function describePlot(box, plot) {
    const base = box.id || `figure-${box.getAttribute("data-figure-id")}`;
    const caption = box.querySelector(".ua-figure__caption");
    const text = box.querySelector(".ua-figure__text");
    if (caption) {
      caption.id ||= `${base}-caption`;
      plot.setAttribute("aria-describedby", caption.id);
    }
    if (text) {
      text.id ||= `${base}-text`;
      plot.setAttribute("aria-details", text.id);
    }
  }

  // A drawn plot holds buttons (the mode bar) and perhaps sliders, which an
  // element with role "img" may not contain: it becomes a labelled group.
  function markInteractive(plot) {
    plot.setAttribute("role", "group");
    plot.setAttribute("aria-roledescription", "interactive figure");
  }

  // Slider transitions animate the handle, and a slider step or a menu
  // button with the "animate" method animates the plot; readers who ask for
  // reduced motion get the end state at once.
  function stillAnimation(command) {
    if (command.method === "animate" && command.args && command.args[1]) {
      command.args[1].transition = { duration: 0 };
      command.args[1].frame = { ...(command.args[1].frame || {}), duration: 0 };
    }
  }

  function withoutMotion(layout) {
    if (!reducedMotion.matches) {
      return layout;
    }
    const copy = structuredClone(layout);
    for (const slider of copy.sliders || []) {
      slider.transition = { ...(slider.transition || {}), duration: 0 };
      (slider.steps || []).forEach(stillAnimation);
    }
    for (const menu of copy.updatemenus || []) {
      (menu.buttons || []).forEach(stillAnimation);
    }
    return copy;
  }

  // Smaller fonts and margins let a phone's narrow plot keep its data area.
  // Subplot titles are annotations with their own (large) font size.
  const NARROW_FONT = 11;
  const NARROW_TITLE_FONT = 12;

  function narrowUpdate(plot) {
    const layout = plot.layout;
    const margin = layout.margin || {};
    const update = {
      "font.size": NARROW_FONT,
      "margin.l": Math.min(margin.l ?? 60, 40),
      "margin.r": Math.min(margin.r ?? 20, 10),
    };
    (layout.annotations || []).forEach((annotation, index) => {
      const size = (annotation.font || {}).size;
      if (size > NARROW_TITLE_FONT) {
        update[`annotations[${index}].font.size`] = NARROW_TITLE_FONT;
      }
    });
    return update;
  }

  // The settings narrowUpdate changes, as the figure file has them (null:
  // unset, so the template's value applies again).
  function wideLayout(layout) {
    const wide = {
      "font.size": (layout.font || {}).size ?? null,
      "margin.l": (layout.margin || {}).l ?? null,
      "margin.r": (layout.margin || {}).r ?? null,
    };
    (layout.annotations || []).forEach((annotation, index) => {
      wide[`annotations[${index}].font.size`] = (annotation.font || {}).size ?? null;
    });
    return wide;
  }

  function fitToWidth(plot) {
    const narrow = plot.clientWidth < NARROW_WIDTH;
    if (narrow === (plot.dataset.narrow === "true")) {
      return Promise.resolve();
    }
    plot.dataset.narrow = String(narrow);
    const update = narrow ? narrowUpdate(plot) : plot.uaWideLayout;
    return window.Plotly.relayout(plot, update);
  }

  function drawFigure(box) {
    if (started.has(box)) {
      return;
    }
    started.add(box);
    const plot = box.querySelector(".ua-figure__plot");
    Promise.all([loadPlotly(), readFigure(box)])
      .then(([Plotly, figure]) => {
        if (!plot) {
          throw new Error("the box has no .ua-figure__plot element");
        }
        if (!box.isConnected) {
          return null; // the reader has already left this page
        }
        const layout = withoutMotion(
          withUpdate(figure.layout, themeUpdate(figure.layout)),
        );
        return Plotly.newPlot(plot, figure.data || [], layout, PLOT_CONFIG)
          .then(() => {
            plot.uaWideLayout = wideLayout(figure.layout || {});
            markInteractive(plot);
            // figure-controls.js makes sliders and menus work from the keyboard.
            box.dispatchEvent(
              new CustomEvent("ua:figure-drawn", { bubbles: true, detail: { plot } }),
            );
            return fitToWidth(plot);
          })
          .then(() => {
            drawnPlots.add(plot);
            resizer.observe(plot);
            box.setAttribute("data-drawn", "true");
          });
      })
      .catch((error) => showError(box, plot, error));
  }

  function retheme() {
    for (const plot of drawnPlots) {
      if (plot.isConnected) {
        window.Plotly.relayout(plot, themeUpdate(plot.layout)).catch((error) =>
          console.error("figures.js: re-theming failed", error),
        );
      }
    }
  }

  // Plots of a page that instant navigation replaced are freed here.
  function forgetDetachedPlots() {
    for (const plot of drawnPlots) {
      if (!plot.isConnected) {
        resizer.unobserve(plot);
        window.Plotly.purge(plot);
        drawnPlots.delete(plot);
      }
    }
  }

  function inWindow(entry) {
    const rect = entry.boundingClientRect;
    return rect.bottom > 0 && rect.top < window.innerHeight;
  }

  // A page opened at the top and read there needs no plotly.js, so the look-
  // ahead starts with the reader's first scroll: until then only a box in the
  // window is drawn, and boxes within LOAD_MARGIN of it wait in `ahead`.
  function watchPage() {
    forgetDetachedPlots();
    if (nearViewport) {
      nearViewport.disconnect();
    }
    if (stopWatchingScroll) {
      stopWatchingScroll.abort();
    }
    const ahead = new Set();
    let scrolled = false;
    stopWatchingScroll = new AbortController();
    window.addEventListener(
      "scroll",
      () => {
        scrolled = true;
        for (const box of ahead) {
          nearViewport.unobserve(box);
          drawFigure(box);
        }
        ahead.clear();
        stopWatchingScroll.abort();
      },
      { passive: true, signal: stopWatchingScroll.signal },
    );
    // The first callback comes after a rendering update, so plotly.js is never
    // requested before the page's first paint.
    nearViewport = new IntersectionObserver(
      (entries, observer) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) {
            ahead.delete(entry.target);
          } else if (scrolled || inWindow(entry)) {
            observer.unobserve(entry.target);
            drawFigure(entry.target);
          } else {
            ahead.add(entry.target);
          }
        }
      },
      { rootMargin: LOAD_MARGIN },
    );
    for (const box of document.querySelectorAll(".ua-figure")) {
      const plot = box.querySelector(".ua-figure__plot");
      if (plot) {
        describePlot(box, plot);
      }
      nearViewport.observe(box);
    }
  }

  function start() {
    new MutationObserver(retheme).observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"],
    });
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(watchPage);
    } else {
      watchPage();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
