/**
 * Data-manager tabs: each is a view on the server holding filters, ordering, hidden columns and the
 * list/grid choice. Edits apply at once on screen and are saved to the view shortly after; the URL's
 * ?tab= names the open tab, so a reload comes back to it.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { csrfToken, routeUrl } from "../../api/client";
import { createView, deleteView, keys, listViews, updateView } from "../../api/endpoints";
import type { Conjunction, View, ViewData } from "../../api/types";
import { buildFilters, rowsFromFilters, type FilterRow } from "../../lib/filters";
import { useToast } from "../Toasts";

export interface TabState {
  rows: FilterRow[];
  conjunction: Conjunction;
  ordering: string[];
  hidden: string[];
  /** Column widths the user dragged, by column id (Label Studio keeps them as columnsWidth). */
  widths: Record<string, number>;
  type: "list" | "grid";
}

const SAVE_DELAY_MS = 400;

export function stateFromView(view: View): TabState {
  const d = view.data ?? { title: "" };
  return {
    rows: rowsFromFilters(d.filters),
    conjunction: d.filters?.conjunction === "or" ? "or" : "and",
    ordering: d.ordering ?? [],
    hidden: d.hiddenColumns?.explore ?? [],
    widths: d.columnsWidth ?? {},
    type: (d as { type?: string }).type === "grid" ? "grid" : "list",
  };
}

export function viewData(title: string, s: TabState): ViewData & { type: string } {
  return {
    title,
    filters: buildFilters(s.rows, s.conjunction) ?? { conjunction: s.conjunction, items: [] },
    ordering: s.ordering,
    hiddenColumns: { explore: s.hidden },
    columnsWidth: s.widths,
    type: s.type,
  };
}

const EMPTY: TabState = { rows: [], conjunction: "and", ordering: [], hidden: [], widths: {}, type: "list" };

export function useTabs(projectId: number) {
  const client = useQueryClient();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const views = useQuery({
    queryKey: keys.views(projectId),
    // Like Label Studio, a project always has at least one tab.
    queryFn: async () => {
      const list = await listViews(projectId);
      return list.length ? list : [await createView(projectId, viewData("Default", EMPTY))];
    },
    staleTime: Infinity,
  });
  const list = views.data ?? [];
  const wanted = Number(params.get("tab"));
  const active = list.find((v) => v.id === wanted) ?? list[0] ?? null;
  const [local, setLocal] = useState<Record<number, TabState>>({});
  const state = active ? (local[active.id] ?? stateFromView(active)) : EMPTY;

  const pending = useRef(new Map<number, { timer: number; data: ViewData }>());
  const [saving, setSaving] = useState(0);
  const [unsaved, setUnsaved] = useState(0);
  const markPending = () => setUnsaved(pending.current.size);

  const putView = useCallback(
    (view: View) =>
      client.setQueryData<View[]>(keys.views(projectId), (old) => old?.map((v) => (v.id === view.id ? view : v))),
    [client, projectId],
  );

  const save = useCallback(
    async (id: number, data: Partial<ViewData>) => {
      setSaving((n) => n + 1);
      try {
        putView(await updateView(id, data));
      } catch (err) {
        toast.error(err, "Could not save the tab");
      } finally {
        setSaving((n) => n - 1);
      }
    },
    [putView, toast],
  );

  const flush = useCallback(async () => {
    const jobs = [...pending.current].map(([id, { timer, data }]) => {
      window.clearTimeout(timer);
      return save(id, data);
    });
    pending.current.clear();
    markPending();
    await Promise.all(jobs);
  }, [save]);

  useEffect(() => {
    // A reload right after an edit: send the save synchronously, with keepalive, so it outlives the page.
    const onHide = () => {
      for (const [id, { timer, data }] of pending.current) {
        window.clearTimeout(timer);
        void fetch(routeUrl("/api/dm/views/{view_id}", { view_id: id }), {
          method: "PATCH",
          keepalive: true,
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ data }),
        }).catch(() => undefined);
      }
      pending.current.clear();
    };
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      void flush();
    };
  }, [flush]);

  const update = (patch: Partial<TabState>) => {
    if (!active) return;
    const next = { ...state, ...patch };
    setLocal((l) => ({ ...l, [active.id]: next }));
    const data = viewData(active.data?.title ?? "", next);
    const old = pending.current.get(active.id);
    if (old) window.clearTimeout(old.timer);
    const timer = window.setTimeout(() => {
      pending.current.delete(active.id);
      markPending();
      void save(active.id, data);
    }, SAVE_DELAY_MS);
    pending.current.set(active.id, { timer, data });
    markPending();
  };

  const select = (id: number) => setParams((p) => ({ ...Object.fromEntries(p), tab: String(id) }), { replace: false });

  /** A new tab: blank, or a copy of the open one's filters, ordering and columns. */
  const add = async (copy: boolean) => {
    const title = copy && active ? `${active.data?.title || "Tab"} (copy)` : `Tab ${list.length + 1}`;
    const initial = copy ? state : { ...EMPTY, hidden: state.hidden, type: state.type };
    const view = await createView(projectId, viewData(title, initial));
    client.setQueryData<View[]>(keys.views(projectId), (old) => [...(old ?? []), view]);
    setLocal((l) => ({ ...l, [view.id]: initial }));
    select(view.id);
  };

  const rename = async (view: View, title: string) => {
    await flush();
    putView(await updateView(view.id, { title }));
  };

  const remove = async (view: View) => {
    window.clearTimeout(pending.current.get(view.id)?.timer);
    pending.current.delete(view.id);
    markPending();
    await deleteView(view.id);
    const rest = list.filter((v) => v.id !== view.id);
    client.setQueryData<View[]>(keys.views(projectId), rest);
    if (active?.id === view.id && rest[0]) select(rest[0].id);
  };

  return { views, list, active, state, update, select, add, rename, remove, flush, saving: saving + unsaved > 0 };
}
