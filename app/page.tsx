export default function FleetPage() {
  return <main>Fleetscope</main>;
}
