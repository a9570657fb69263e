/*
 * figure-controls.js: the controls inside figures, from the keyboard.
 *
 * plotly.js draws sliders and menus as SVG groups that take no focus and
 * answer only the mouse. When figures.js has drawn a plot, its box fires
 * "ua:figure-drawn"; this script then gives every control an ARIA role, a
 * name, its state and a place in the tab order, and answers the keys a reader
 * expects:
 *   - a slider (role slider): the arrow keys, Page Up and Page Down, Home, End;
 *   - a button of a button menu (role button, aria-pressed): Enter or Space;
 *   - a dropdown menu: its header (role button, aria-haspopup, aria-expanded)
 *     opens with Enter, Space or the down arrow; in the open list (role menu,
 *     items menuitemradio) the up and down arrows move, Enter or Space
 *     chooses, Escape and Tab close it.
 * Menu buttons are pressed by a synthetic click, so plotly.js runs its own
 * handler, as for the mouse. plotly.js redraws a control after each change:
 * the roles are written again after every redraw, and focus goes back to the
 * control the reader was on.
 */
(() => {
  "use strict";

  // --- Sliders ---------------------------------------------------------------

  function sliderSteps(plot, index) {
    const slider = (plot.layout.sliders || [])[index] || {};
    return (slider.steps || []).filter((step) => step.visible !== false);
  }

  // Runs a step's command as plotly.js does when the handle is dragged there.
  function runStep(plot, index, position) {
    const Plotly = window.Plotly;
    const step = sliderSteps(plot, index)[position];
    const args = step.args || [];
    const commands = {
      restyle: () => Plotly.restyle(plot, ...args),
      relayout: () => Plotly.relayout(plot, ...args),
      update: () => Plotly.update(plot, ...args),
      animate: () => Plotly.animate(plot, ...args),
    };
    const command = commands[step.method] || (() => Promise.resolve());
    const active = {};
    active[`sliders[${index}].active`] = position;
    return Promise.resolve(command()).then(() => Plotly.relayout(plot, active));
  }

  const SLIDER_KEYS = {
    ArrowRight: 1,
    ArrowUp: 1,
    ArrowLeft: -1,
    ArrowDown: -1,
    PageUp: 1,
    PageDown: -1,
  };

  function onSliderKey(plot, group, event) {
    const index = Number(group.dataset.sliderIndex || 0);
    const count = sliderSteps(plot, index).length;
    const now = Number(group.getAttribute("aria-valuenow"));
    let next = now;
    if (event.key in SLIDER_KEYS) {
      next = now + SLIDER_KEYS[event.key];
    } else if (event.key === "Home") {
      next = 0;
    } else if (event.key === "End") {
      next = count - 1;
    } else {
      return;
    }
    event.preventDefault();
    next = Math.max(0, Math.min(count - 1, next));
    if (next !== now) {
      runStep(plot, index, next)
        .then(() => {
          // plotly.js redraws the slider: give focus back to the new group.
          const redrawn = plot.querySelectorAll(".slider-group")[index];
          if (redrawn && document.activeElement !== redrawn) {
            redrawn.focus();
          }
        })
        .catch((error) => console.error("figure-controls.js: slider step failed", error));
    }
  }

  // Gives every slider of a plot the ARIA slider role, a name, its value and
  // a place in the tab order.
  function labelSliders(plot) {
    const sliders = plot.layout.sliders || [];
    plot.querySelectorAll(".slider-group").forEach((group, index) => {
      const slider = sliders[index];
      if (!slider) {
        return;
      }
      const steps = sliderSteps(plot, index);
      // plotly.js keeps the position it drew in its full layout.
      const full = ((plot._fullLayout || {}).sliders || [])[index] || {};
      const position = full.active ?? slider.active ?? 0;
      const active = steps[position] || {};
      const prefix = ((slider.currentvalue || {}).prefix || "").replace(/[=:]\s*$/, "");
      group.dataset.sliderIndex = String(index);
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "slider");
      group.setAttribute("aria-label", prefix.trim() || `slider ${index + 1}`);
      group.setAttribute("aria-orientation", "horizontal");
      group.setAttribute("aria-valuemin", "0");
      group.setAttribute("aria-valuemax", String(steps.length - 1));
      group.setAttribute("aria-valuenow", String(position));
      group.setAttribute("aria-valuetext", String(active.label ?? active.value ?? ""));
    });
  }

  // --- Menus -----------------------------------------------------------------

  // plotly.js binds each menu's group to the menu's full options, and each
  // button to its own: `_index` is the position in the figure's layout.
  function menuOf(plot, group) {
    const bound = group.__data__ || {};
    const menus = (plot._fullLayout || {}).updatemenus || [];
    return menus.find((menu) => menu._index === bound._index) || null;
  }

  function visibleButtons(menu) {
    return (menu.buttons || []).filter((button) => button.visible !== false);
  }

  // A menu's name is not drawn, so it is plain text; a button's label is
  // read as drawn, since plotly.js turns its markup and entities into text.
  function menuName(menu) {
    return menu.name || `menu ${menu._index + 1}`;
  }

  function drawnLabel(element, position) {
    const text = element.querySelector(".updatemenu-item-text");
    return (text && text.textContent.trim()) || `option ${position + 1}`;
  }

  function click(element) {
    element.dispatchEvent(new MouseEvent("click", { bubbles: true, view: window }));
  }

  // The open list of a dropdown: plotly.js draws one list for the plot and
  // records which menu it belongs to (-1 when it is closed).
  function openList(plot) {
    const list = plot.querySelector(".updatemenu-dropdown-button-group");
    if (!list || Number(list.getAttribute("updatemenu-active-index")) < 0) {
      return null;
    }
    return list;
  }

  // Gives each drawn button of a menu a role, its label as drawn, a place in
  // the tab order (or none), and, if named, the state that marks the active one.
  function labelItems(elements, menu, { role, tabindex, state }) {
    const buttons = visibleButtons(menu);
    elements.forEach((element, position) => {
      const button = buttons[position] || {};
      element.dataset.menuIndex = String(menu._index);
      element.dataset.buttonPosition = String(position);
      element.setAttribute("tabindex", tabindex);
      element.setAttribute("role", role);
      element.setAttribute("aria-label", drawnLabel(element, position));
      if (state) {
        element.setAttribute(state, String(menu.active === button._index));
      }
    });
  }

  function labelButtonMenu(group, menu) {
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", menuName(menu));
    labelItems(group.querySelectorAll(".updatemenu-button"), menu, {
      role: "button",
      tabindex: "0",
      state: menu.showactive ? "aria-pressed" : null,
    });
  }

  function labelDropdown(plot, group, menu) {
    const header = group.querySelector(".updatemenu-header");
    if (!header) {
      return;
    }
    // The arrow beside the header only repeats that it opens a list.
    group.querySelector(".updatemenu-header-arrow")?.setAttribute("aria-hidden", "true");
    const list = openList(plot);
    const open = Boolean(list) && Number(list.getAttribute("updatemenu-active-index")) === menu._index;
    const chosen = menu.active >= 0 ? drawnLabel(header, 0) : "";
    header.dataset.menuIndex = String(menu._index);
    header.setAttribute("tabindex", "0");
    header.setAttribute("role", "button");
    header.setAttribute("aria-haspopup", "menu");
    header.setAttribute("aria-expanded", String(open));
    header.setAttribute(
      "aria-label",
      chosen ? `${menuName(menu)}: ${chosen}` : menuName(menu),
    );
    if (!open) {
      return;
    }
    list.setAttribute("role", "menu");
    list.setAttribute("aria-label", menuName(menu));
    labelItems(list.querySelectorAll(".updatemenu-dropdown-button"), menu, {
      role: "menuitemradio",
      tabindex: "-1",
      state: "aria-checked",
    });
    // The list's background rectangle is decoration.
    list.querySelectorAll(":scope > rect").forEach((rect) => {
      rect.setAttribute("role", "presentation");
    });
  }

  function labelMenus(plot) {
    plot.querySelectorAll(".updatemenu-header-group").forEach((group) => {
      const menu = menuOf(plot, group);
      if (!menu) {
        return;
      }
      if (menu.type === "buttons") {
        labelButtonMenu(group, menu);
      } else {
        labelDropdown(plot, group, menu);
      }
    });
  }

  function menuControl(plot, selector, menuIndex, position) {
    const within = `[data-menu-index="${menuIndex}"]`;
    const suffix = position === undefined ? "" : `[data-button-position="${position}"]`;
    return plot.querySelector(`${selector}${within}${suffix}`);
  }

  // After plotly.js has redrawn a menu, focus the same control again.
  function refocus(plot, selector, menuIndex, position) {
    requestAnimationFrame(() => {
      labelMenus(plot);
      const control = menuControl(plot, selector, menuIndex, position);
      if (control && document.activeElement !== control) {
        control.focus();
      }
    });
  }

  function onButtonKey(plot, element, event) {
    if (event.key !== "Enter" && event.key !== " ") {
      return;
    }
    event.preventDefault();
    click(element);
    const { menuIndex, buttonPosition } = element.dataset;
    refocus(plot, ".updatemenu-button", menuIndex, buttonPosition);
  }

  function openDropdown(plot, header) {
    click(header);
    requestAnimationFrame(() => {
      labelMenus(plot);
      const list = openList(plot);
      if (!list) {
        return;
      }
      const items = [...list.querySelectorAll(".updatemenu-dropdown-button")];
      const checked = items.find((item) => item.getAttribute("aria-checked") === "true");
      (checked || items[0])?.focus();
    });
  }

  function onHeaderKey(plot, header, event) {
    if (!["Enter", " ", "ArrowDown"].includes(event.key)) {
      return;
    }
    event.preventDefault();
    if (header.getAttribute("aria-expanded") === "true") {
      click(header);
      refocus(plot, ".updatemenu-header", header.dataset.menuIndex);
    } else {
      openDropdown(plot, header);
    }
  }

  function onItemKey(plot, item, event) {
    const { menuIndex } = item.dataset;
    const items = [...item.parentNode.querySelectorAll(".updatemenu-dropdown-button")];
    const position = items.indexOf(item);
    const moves = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      const next = (position + moves[event.key] + items.length) % items.length;
      items[next].focus();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      items[event.key === "Home" ? 0 : items.length - 1].focus();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      click(item);
      refocus(plot, ".updatemenu-header", menuIndex);
    } else if (event.key === "Escape" || event.key === "Tab") {
      // Focus moves to the header at once, so that Tab goes on from there.
      const header = menuControl(plot, ".updatemenu-header", menuIndex);
      if (header) {
        click(header);
        header.focus();
        labelMenus(plot);
      }
      if (event.key === "Escape") {
        event.preventDefault();
      }
    }
  }

  // --- One plot --------------------------------------------------------------

  const KEY_HANDLERS = [
    [".slider-group", onSliderKey],
    [".updatemenu-button", onButtonKey],
    [".updatemenu-header", onHeaderKey],
    [".updatemenu-dropdown-button", onItemKey],
  ];

  function onKey(plot, event) {
    if (!event.target.closest) {
      return;
    }
    for (const [selector, handler] of KEY_HANDLERS) {
      const control = event.target.closest(selector);
      if (control && plot.contains(control)) {
        handler(plot, control, event);
        return;
      }
    }
  }

  function relabel(plot) {
    labelSliders(plot);
    labelMenus(plot);
  }

  function makeControllable(plot) {
    relabel(plot);
    // A slider or menu redraws alone (no plotly_afterplot) when only its
    // position or its active button changes.
    const events = [
      "plotly_afterplot",
      "plotly_sliderchange",
      "plotly_relayout",
      "plotly_buttonclicked",
    ];
    for (const name of events) {
      plot.on(name, () => relabel(plot));
    }
    plot.addEventListener("keydown", (event) => onKey(plot, event));
    // A dropdown opened with the mouse gets its list's roles too.
    plot.addEventListener("click", () => requestAnimationFrame(() => labelMenus(plot)));
  }

  document.addEventListener("ua:figure-drawn", (event) => {
    const plot = event.detail && event.detail.plot;
    if (plot && typeof plot.on === "function") {
      makeControllable(plot);
    }
  });
})();
