export function App() {
  return <h1>isolab</h1>;
}
