// A flame graph frame's menu of actions (the call tree's transforms): opened by a
// right click on the frame, or on the keyboard's frame with the context-menu key or
// Shift+F10. Its items are buttons: arrow keys move between them, Enter or a click
// runs one, Escape (or a click elsewhere) closes the menu and gives the focus back.
import type {FlameNode} from "../lib/flametree.js";
import {frameLabel} from "../lib/render/flamegraph.js";
import {el} from "./dom.js";

export interface FrameAction {
  /** The key that runs it on the keyboard's frame, without opening the menu. */
  key: string;
  label: string;
  /** Whether it applies to this node (path: from the root to the node, both included). */
  applies?: (node: FlameNode, path: readonly FlameNode[]) => boolean;
  run: (node: FlameNode, path: readonly FlameNode[]) => void;
}

export function applicableActions(actions: readonly FrameAction[], node: FlameNode, path: readonly FlameNode[]): FrameAction[] {
  return node.kind === "root" ? [] : actions.filter((a) => a.applies?.(node, path) ?? true);
}

export interface FrameMenuOptions {
  /** The positioned element the menu is drawn in. */
  container: HTMLElement;
  actions: readonly FrameAction[];
  node: FlameNode;
  path: readonly FlameNode[];
  /** Where (viewport coordinates) the menu's corner goes. */
  at: {x: number; y: number};
  /** Called once the menu is gone (to give the focus back). */
  onClose: () => void;
}

/** Opens the menu (closing any other of the container's); returns its element, or null
 * when no action applies to the node. */
export function openFrameMenu(options: FrameMenuOptions): HTMLElement | null {
  const {container, node, path} = options;
  container.querySelector(".subsecond-frame-menu")?.dispatchEvent(new Event("subsecond:close"));
  const actions = applicableActions(options.actions, node, path);
  if (!actions.length) return null;
  const items = actions.map((a) =>
    el("button", {type: "button", role: "menuitem", tabindex: -1, "data-key": a.key}, a.label, el("kbd", {}, a.key)),
  );
  const menu = el("div", {class: "subsecond-frame-menu", role: "menu", "aria-label": `Transforms of ${frameLabel(node)}`}, el("div", {class: "subsecond-frame-menu-head"}, frameLabel(node)), ...items);
  const box = container.getBoundingClientRect();
  menu.style.left = `${Math.max(0, Math.min(options.at.x - box.left, box.width - 240))}px`;
  menu.style.top = `${options.at.y - box.top}px`;
  let open = true;
  const close = (refocus: boolean) => {
    if (!open) return;
    open = false;
    menu.remove();
    document.removeEventListener("pointerdown", onOutside, true);
    if (refocus) options.onClose();
  };
  const onOutside = (event: Event) => {
    if (!menu.contains(event.target as Node)) close(false);
  };
  menu.addEventListener("subsecond:close", () => close(false));
  menu.addEventListener("click", (event) => {
    const item = (event.target as Element).closest("button");
    if (!item) return;
    const action = actions[items.indexOf(item as HTMLButtonElement)];
    close(true);
    action.run(node, path);
  });
  menu.addEventListener("keydown", (event) => {
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") items[(at + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length].focus();
    else if (event.key === "Home" || event.key === "End") items[event.key === "Home" ? 0 : items.length - 1].focus();
    else if (event.key === "Escape" || event.key === "Tab") close(true);
    else {
      const action = actions.find((a) => a.key === event.key);
      if (!action) return;
      close(true);
      action.run(node, path);
    }
    event.preventDefault();
    event.stopPropagation();
  });
  document.addEventListener("pointerdown", onOutside, true);
  container.append(menu);
  // Near the window's bottom, the menu opens upwards.
  const {height} = menu.getBoundingClientRect();
  if (options.at.y + height > innerHeight && options.at.y - height >= 0) menu.style.top = `${options.at.y - box.top - height}px`;
  items[0].focus();
  return menu;
}
