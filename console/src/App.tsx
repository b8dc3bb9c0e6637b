import { useEffect, useState } from "react";
import { Audit } from "./Audit";
import { BaseScreen } from "./BaseScreen";
import { Home } from "./Home";
import { Members } from "./Members";
import { placeOf } from "./places";
import { onChange, signOut, signedIn } from "./session";
import { SignIn } from "./SignIn";

export function App() {
  const [session, setSession] = useState(signedIn());
  const [place, setPlace] = useState(() => placeOf(window.location.hash));
  useEffect(() => onChange(() => setSession(signedIn())), []);
  useEffect(() => {
    const follow = () => setPlace(placeOf(window.location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  if (!session) return <SignIn />;
  return (
    <div className="console">
      <header>
        <a href="#/" className="brand">NC LCDBaaS</a>
        <nav>
          <a href="/docs/">API reference</a>
          <button
            type="button"
            onClick={() => {
              window.location.hash = "#/";
              void signOut();
            }}
          >
            Sign out
          </button>
        </nav>
      </header>
      <main>
        {place.screen === "home" && <Home />}
        {place.screen === "members" && <Members workspaceId={place.workspaceId} />}
        {place.screen === "audit" && <Audit workspaceId={place.workspaceId} />}
        {place.screen === "base" && <BaseScreen place={place} />}
      </main>
    </div>
  );
}
