"use client"
/**
 * Refreshes the page every few seconds while an order is still moving.
 *
 * @since 0.1.0
 */
import { useRouter } from "next/navigation"
import { useEffect } from "react"

/** Refreshes the current route every `seconds` while mounted. */
export function Refresher({ seconds }: { readonly seconds: number }) {
  const router = useRouter()
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), seconds * 1000)
    return () => clearInterval(timer)
  }, [router, seconds])
  return null
}
