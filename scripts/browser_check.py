#!/usr/bin/env python3
"""Drives the real pages in headless Chromium, as the people who use them would, and saves screenshots.

Usage: start `asxh demo --port 8099 --out DIR` first, then
    python3 scripts/browser_check.py http://127.0.0.1:8099 DIR/danh-sach-khac.xlsx /tmp/asxh-shots
Needs: apt-get install chromium chromium-driver; pip install selenium. Exits non-zero on the first failed check.
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, upload, shots = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(shots, exist_ok=True)
PASSWORD = "demo-asxh-2025"


def browser(width, height):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)
    print("ok:", message)


def login(driver, username):
    driver.get(base + "/login")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button.primary").click()


# A working-group member on a phone: search by a name typed without diacritics, open a person.
phone = browser(390, 844)
login(phone, "xa.totruong")
check("/people" in phone.current_url, "log-in lands on the people list")
phone.save_screenshot(f"{shots}/1-people-phone.png")
rows = phone.find_elements(By.CSS_SELECTOR, "table tbody tr")
check(len(rows) > 0, f"the commune's people are listed ({len(rows)} on the first page)")
first_name = rows[0].find_element(By.CSS_SELECTOR, "td a").text
folded = first_name.split()[-1]
import unicodedata
plain = "".join(c for c in unicodedata.normalize("NFD", folded) if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")
search = phone.find_element(By.NAME, "q")
search.send_keys(plain.lower())
search.submit()
names = [a.text for a in phone.find_elements(By.CSS_SELECTOR, "table tbody td a")]
check(first_name in names, f"searching '{plain.lower()}' without diacritics finds '{first_name}'")
phone.find_element(By.LINK_TEXT, first_name).click()
page = phone.page_source
check("••••" in page or "Số CCCD" in page, "the person page shows IDs masked for a working-group member")
phone.save_screenshot(f"{shots}/2-person-phone.png")
phone.get(base + "/people?lang=en")
check("Social-security beneficiaries" in phone.page_source, "the English switch works")
phone.quit()

# The city department officer on a desktop: upload a list, watch the progress line, read the summary.
desk = browser(1280, 900)
login(desk, "so.ldtbxh")
desk.get(base + "/imports")
desk.save_screenshot(f"{shots}/3-imports.png")
desk.find_element(By.NAME, "file").send_keys(os.path.abspath(upload))
desk.find_element(By.CSS_SELECTOR, "form.card button.primary").click()
deadline = time.time() + 120
while "http-equiv=\"refresh\"" in desk.page_source and time.time() < deadline:
    time.sleep(0.5)
desk.save_screenshot(f"{shots}/4-import-done.png")
body = desk.find_element(By.TAG_NAME, "body").text
check("Đã nhập" in body or "đã được nhập trước đây" in body, "the import finishes and says what it did")
desk.find_element(By.PARTIAL_LINK_TEXT, "báo cáo lỗi").click()
desk.save_screenshot(f"{shots}/5-list.png")
check("Dòng bị từ chối" in desk.page_source, "the list page shows the rejected rows")
desk.quit()
print("all browser checks passed; screenshots in", shots)
