import { Link } from "react-router-dom";

export function NotFoundPage() {
  return (
    <div className="page">
      <div className="panel empty">
        <h2>Page not found</h2>
        <p>
          Nothing lives at this address. <Link to="/projects">Go to your projects</Link>.
        </p>
      </div>
    </div>
  );
}
