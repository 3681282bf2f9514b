'use client';

/**
 * Asking before unsaved work is thrown away, whichever way the visitor leaves
 * the page: a reload or a closed tab (the browser's own question,
 * `beforeunload`), an in-app link (the console's navigation, "← All flows":
 * a Next.js link navigates without unloading the page, so its click is
 * caught first), the browser's Back and Forward within the app (the
 * Navigation API's `navigate` event, cancelled before the router moves; a
 * browser without that API does not ask there), and signing out (`confirmLeaving`). Each page with unsaved work registers
 * how to tell (`guardLeaving`).
 */

/** The question asked before unsaved changes would be lost. */
export const LEAVE_QUESTION = 'Leave this page? Your unsaved changes will be lost.';

const guards = new Set<() => boolean>();
/** The visitor said yes: the unload that follows does not ask a second time. */
let leaving = false;

const dirty = () => !leaving && [...guards].some((isDirty) => isDirty());

/**
 * Asks whether to leave when a registered page holds unsaved work; true when
 * the visitor may go (nothing unsaved, or they said so).
 */
export function confirmLeaving(): boolean {
  if (!dirty()) return true;
  if (!window.confirm(LEAVE_QUESTION)) return false;
  leaving = true;
  return true;
}

/**
 * Guards the page while `isDirty()` says it holds unsaved work; returns the
 * function that stops guarding (when the page goes away).
 */
export function guardLeaving(isDirty: () => boolean): () => void {
  guards.add(isDirty);
  if (guards.size === 1) install();
  return () => {
    guards.delete(isDirty);
    if (guards.size === 0) uninstall();
  };
}

function onBeforeUnload(event: BeforeUnloadEvent) {
  if (!dirty()) return;
  event.preventDefault();
  event.returnValue = '';
}

/** A link that would take the visitor off this page in this tab (not a new tab, a download or a jump within the page). */
function leavingLink(event: MouseEvent): HTMLAnchorElement | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(link instanceof HTMLAnchorElement) || link.hasAttribute('download')) return null;
  if (link.target && link.target !== '_self') return null;
  const to = new URL(link.href, window.location.href);
  if (to.origin === window.location.origin && to.pathname === window.location.pathname && to.search === window.location.search) return null;
  return link;
}

// Capture on the window: before the link's own handler (Next.js navigates in React's, on the root).
function onClick(event: MouseEvent) {
  if (!leavingLink(event) || confirmLeaving()) return;
  event.preventDefault();
  event.stopPropagation();
}

/** The Navigation API's part used here (Chromium, and others as they ship it). */
interface TraverseEvent extends Event {
  navigationType: 'push' | 'replace' | 'reload' | 'traverse';
}
type NavigationTarget = EventTarget & { addEventListener(type: 'navigate', listener: (event: TraverseEvent) => void): void };
const navigation = (): NavigationTarget | undefined => (window as unknown as { navigation?: NavigationTarget }).navigation;

// Back and Forward where the browser has the Navigation API: its `navigate` event comes before the
// router hears of the move, and cancelling it leaves the page where it is.
function onNavigate(event: TraverseEvent) {
  if (event.navigationType !== 'traverse' || !event.cancelable || confirmLeaving()) return;
  event.preventDefault();
}

function install() {
  leaving = false;
  window.addEventListener('beforeunload', onBeforeUnload);
  window.addEventListener('click', onClick, true);
  navigation()?.addEventListener('navigate', onNavigate);
}

function uninstall() {
  window.removeEventListener('beforeunload', onBeforeUnload);
  window.removeEventListener('click', onClick, true);
  navigation()?.removeEventListener('navigate', onNavigate as EventListener);
  leaving = false;
}
