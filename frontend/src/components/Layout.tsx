/** The frame around every page: brand, Projects, Organization (owners and administrators), the account menu. */
import { useQuery } from "@tanstack/react-query";
import { Link, NavLink, Outlet } from "react-router-dom";
import { keys, whoami } from "../api/endpoints";
import { managesOrganization } from "../lib/roles";
import { Menu } from "./Menu";

export function Logo() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true">
      <path d="M16 2l12 7v14l-12 7-12-7V9z" fill="#d97706" />
      <path d="M16 9l6 3.5v7L16 23l-6-3.5v-7z" fill="#fff" opacity=".9" />
    </svg>
  );
}

export function Layout() {
  const me = useQuery({ queryKey: keys.whoami, queryFn: whoami, staleTime: Infinity });
  return (
    <>
      <header className="topbar">
        <Link to="/projects" className="brand">
          <Logo />
          LabelHive
        </Link>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/projects">Projects</NavLink>
        </nav>
        <span className="spacer" />
        {managesOrganization(me.data?.role) && (
          <nav className="topnav" aria-label="Organization">
            <NavLink to="/organization">Organization</NavLink>
          </nav>
        )}
        <Menu
          className="btn ghost"
          align="right"
          ariaLabel="Account menu"
          label={
            <>
              <span className="avatar" aria-hidden="true">
                {me.data?.initials ?? "…"}
              </span>
              <span>{me.data?.email ?? ""}</span>
            </>
          }
        >
          {(close) => (
            <>
              <Link to="/account" role="menuitem" onClick={close}>
                Account &amp; API token
              </Link>
              <hr />
              <a href="/user/logout" role="menuitem">
                Log out
              </a>
            </>
          )}
        </Menu>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  );
}
