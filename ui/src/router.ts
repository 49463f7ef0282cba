import { createRouter, createWebHashHistory, type Router, type RouteRecordRaw } from 'vue-router'
import type { Pinia } from 'pinia'
import { useHealthStore } from './stores/health'
import { useStaffStore } from './stores/staff'
import { useVisitorStore, isFlowKind } from './stores/visitor'
import { effectiveMode } from './composables/kioskMode'
import HomeView from './views/HomeView.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomeView },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
  {
    path: '/consent/:kind',
    name: 'consent',
    component: () => import('./views/ConsentView.vue'),
    meta: { visitorFlow: true },
  },
  {
    path: '/register/:kind',
    name: 'register',
    component: () => import('./views/RegisterView.vue'),
    meta: { visitorFlow: true, needsConsent: true },
  },
  {
    path: '/done',
    name: 'done',
    component: () => import('./views/DoneView.vue'),
    meta: { visitorFlow: true },
  },
  {
    path: '/status',
    name: 'status',
    component: () => import('./views/flows/StatusLookupView.vue'),
    meta: { visitorFlow: true },
  },
  { path: '/review', name: 'review', component: () => import('./views/ReviewView.vue'), meta: { staff: true } },
  { path: '/queue', name: 'queue', component: () => import('./views/QueueView.vue'), meta: { staff: true } },
  { path: '/day-report', name: 'day-report', component: () => import('./views/DayReportView.vue'), meta: { staff: true } },
  {
    path: '/settings',
    name: 'settings',
    component: () => import('./views/SettingsView.vue'),
    meta: { staff: true, admin: true },
  },
  { path: '/staff', name: 'staff', component: () => import('./views/StaffView.vue'), meta: { staff: true } },
  {
    path: '/capture-check',
    name: 'capture-check',
    component: () => import('./views/CaptureCheckView.vue'),
    meta: { staff: true },
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

/** Who may open which screen: flows need staff at the counter; queue and settings need staff
 * (settings an administrator); a registration step needs the visitor's consent first. */
export function installGuards(router: Router, pinia: Pinia) {
  router.beforeEach(async (to) => {
    const health = useHealthStore(pinia)
    const staff = useStaffStore(pinia)
    const visitor = useVisitorStore(pinia)
    if (!health.report && !health.loading) await health.refresh()
    const mode = effectiveMode(health.report?.mode, staff.session !== null)
    if (to.meta.staff && !staff.session) return { name: 'login', query: { next: to.fullPath } }
    if (to.meta.admin && !staff.isAdmin) return { name: 'home' }
    if (to.meta.visitorFlow && mode === 'counter' && !staff.session) {
      return { name: 'login', query: { next: to.fullPath } }
    }
    if (to.meta.needsConsent) {
      const kind = to.params.kind
      if (!isFlowKind(kind) || visitor.consentFor !== kind) {
        return isFlowKind(kind) ? { name: 'consent', params: { kind } } : { name: 'home' }
      }
    }
    if (to.name === 'consent' && !isFlowKind(to.params.kind)) return { name: 'home' }
    if (to.name === 'done' && !visitor.receipt) return { name: 'home' }
    return true
  })
}

export function createKioskRouter(pinia: Pinia): Router {
  const router = createRouter({ history: createWebHashHistory(), routes })
  installGuards(router, pinia)
  return router
}
